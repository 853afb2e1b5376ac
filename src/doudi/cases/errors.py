from doudi.core.errors import DomainError


class CaseError(DomainError):
    """A workflow precondition is not met; ``code`` says which (stable, for the API and tests)."""

    code = "case_error"
    http_status = 422
