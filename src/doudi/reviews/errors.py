from doudi.core.errors import DomainError


class ReviewError(DomainError):
    """A dynamic-management precondition is not met; ``code`` says which (stable, for the API and tests)."""

    code = "review_error"
    http_status = 422
