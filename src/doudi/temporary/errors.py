from enum import StrEnum

from doudi.core.errors import DomainError


class Code(StrEnum):
    """The stable codes of this app's errors (the API's ``code``; tests and screens match on them)."""

    ALREADY_CONFIRMED = "already_confirmed"
    MAKER_CHECKER = "maker_checker"
    INVALID_AMOUNT = "invalid_amount"
    OVER_TOP_UP_CAP = "over_top_up_cap"
    OVER_BALANCE_CAP = "over_balance_cap"
    STAGES_EXHAUSTED = "stages_exhausted"
    OVER_APPROVED_AMOUNT = "over_approved_amount"
    NO_TOWNSHIP = "no_township"
    TOWNSHIP_ONLY = "township_only"
    NO_RESERVE_FUND = "no_reserve_fund"
    INSUFFICIENT_BALANCE = "insufficient_balance"
    OVER_TOWNSHIP_LIMIT = "over_township_limit"
    CONFERENCE_REQUIRED = "conference_required"
    ADVANCE_UNCONFIRMED = "advance_unconfirmed"
    SIGNATURES_REQUIRED = "signatures_required"
    PAYMENTS_OUTSTANDING = "payments_outstanding"
    TEMPORARY_DETAILS_REQUIRED = "temporary_details_required"


class FundError(DomainError):
    code = "fund_error"
    http_status = 422
