"""The stable codes of this app's errors (the API's ``code``; tests and screens match on them)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    BAD_LEVEL = "bad_level"
    FROZEN = "frozen"
    ALREADY_ON_PAYROLL = "already_on_payroll"
    BAD_KIND = "bad_kind"
    BAD_AMOUNT = "bad_amount"
    FUTURE_DATE = "future_date"
    NOT_EVALUATED = "not_evaluated"
    SAME_PERSON = "same_person"
    REASON_REQUIRED = "reason_required"
    BAD_PAYEE = "bad_payee"
    INSTITUTION_UNKNOWN = "institution_unknown"
    INSTITUTION_UNCONFIRMED = "institution_unconfirmed"
    TOO_MANY_ROWS = "too_many_rows"
    WRONG_DEPARTMENT = "wrong_department"

    EMPTY = "empty"
