from doudi.core.errors import DomainError


class FundError(DomainError):
    code = "fund_error"
    http_status = 422
