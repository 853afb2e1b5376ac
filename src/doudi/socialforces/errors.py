"""The social-forces app's typed error and its stable codes."""

from __future__ import annotations

from enum import StrEnum

from doudi.core.errors import DomainError


class Code(StrEnum):
    REQUIRED = "required"
    BAD_AMOUNT = "bad_amount"
    BAD_DATE = "bad_date"
    BAD_STATE = "bad_state"
    OVER_CAP = "purchase_over_cap"
    UNDER_SHARE = "purchase_under_social_share"
    OVER_DONATION = "over_donation"
    OVER_CONTRACT = "over_contract"
    SAME_PERSON = "same_person"
    NOT_CONFIRMED = "not_confirmed"


class SocialForcesError(DomainError):
    code = "socialforces_error"

    def __init__(self, message: str, *, code: Code, field: str | None = None):
        super().__init__(message, code=str(code), field=field)
