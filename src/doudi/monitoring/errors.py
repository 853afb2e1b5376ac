from doudi.core.errors import DomainError


class MonitoringError(DomainError):
    """A monitoring precondition is not met; ``code`` says which (stable, for the API and tests)."""

    code = "monitoring_error"
    http_status = 422
