from __future__ import annotations

from enum import StrEnum

from doudi.core.errors import DomainError


class AccountErrorCode(StrEnum):
    NOT_YOURS = "not_yours"  # the account, grant or region is outside the administrator's area (or is their own)
    GRANT_OUT_OF_AREA = "grant_out_of_area"
    REGION_OUT_OF_AREA = "region_out_of_area"
    DUPLICATE_GRANT = "duplicate_grant"
    USERNAME_TAKEN = "username_taken"
    WEAK_PASSWORD = "weak_password"  # noqa: S105 - an error code, not a password
    SAME_PERSON = "same_person"  # maker-checker: the requester cannot confirm their own change
    NOT_PENDING = "not_pending"
    BAD_DATE = "bad_date"
    NOTHING_CHANGED = "nothing_changed"
    WRONG_CODE = "wrong_code"


class AccountError(DomainError):
    code = "account_error"
    http_status = 403

    def __init__(self, message: str, *, code: AccountErrorCode, field: str | None = None):
        super().__init__(message, code=str(code), field=field)
