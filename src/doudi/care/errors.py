"""The care app's typed error and its stable codes."""

from __future__ import annotations

from enum import StrEnum

from doudi.core.errors import DomainError


class Code(StrEnum):
    NOT_TEKUN = "not_tekun"
    OPEN_ARRANGEMENT = "open_arrangement"
    INSTITUTION_REQUIRED = "institution_required"
    NOT_DISPERSED = "not_dispersed"
    OPEN_AGREEMENT = "open_agreement"
    BAD_AMOUNT = "bad_amount"
    BAD_DATE = "bad_date"
    BAD_STATE = "bad_state"
    SAME_PERSON = "same_person"
    REQUIRED = "required"
    ALREADY_TARGET = "already_target"
    BAD_PHOTO = "bad_photo"
    NO_TIER = "no_tier"


class CareError(DomainError):
    code = "care_error"

    def __init__(self, message: str, *, code: Code, field: str | None = None):
        super().__init__(message, code=str(code), field=field)
