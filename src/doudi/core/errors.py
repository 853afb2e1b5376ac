"""Typed domain errors with stable codes. Services raise them; views and the API turn them into messages."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """The stable codes of this app's errors (the API's ``code``; tests and screens match on them)."""

    DATE_OUT_OF_RANGE = "date_out_of_range"
    INVALID_NUMBER = "invalid_number"
    NUMBER_OUT_OF_RANGE = "number_out_of_range"
    INVALID_MONTH = "invalid_month"
    YEAR_OUT_OF_RANGE = "year_out_of_range"
    INVALID_BANK_ACCOUNT = "invalid_bank_account"
    INVALID_DATE = "invalid_date"


class DomainError(Exception):
    """An error a caseworker can act on. ``message`` is already translated (Chinese first)."""

    code = "domain_error"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None, field: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field

    def __str__(self) -> str:
        return self.message


class NotFoundOrForbidden(DomainError):
    """Same answer for "does not exist" and "not in your jurisdiction", so scope is never leaked."""

    code = "not_found"
    http_status = 404


class PermissionDenied(DomainError):
    code = "permission_denied"
    http_status = 403


class IllegalTransition(DomainError):
    code = "illegal_transition"
    http_status = 409
