"""The stable codes of this app's errors (the API's ``code``; tests and screens match on them)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    NOT_APPROVED = "not_approved"
    MISSING_ACCOUNT = "missing_account"
    BAD_RETURN_FILE = "bad_return_file"
    NOT_EXPORTED = "not_exported"
    BAD_RETURN_ROWS = "bad_return_rows"
    INVALID_AMOUNT = "invalid_amount"
    SUPPLEMENTARY = "supplementary"
    FROZEN = "frozen"
    ALREADY_SENT = "already_sent"
    NOTHING_TO_HOLD = "nothing_to_hold"
    NOTHING_TO_RELEASE = "nothing_to_release"
    BAD_LEVEL = "bad_level"
    BAD_PROGRAM = "bad_program"
    MAKER_CHECKER = "maker_checker"
    FILE_REF_REQUIRED = "file_ref_required"
    OVER_PURCHASED_SERVICES_CAP = "over_purchased_services_cap"
    BAD_AMOUNT = "bad_amount"
    NOT_GENERATED = "not_generated"
    NOTHING_TO_REISSUE = "nothing_to_reissue"
    OVER_ALLOCATED = "over_allocated"
    DUPLICATE = "duplicate"
    SAME_PERSON = "same_person"
    REASON_REQUIRED = "reason_required"
    NAME_REQUIRED = "name_required"
    BAD_ACCOUNT = "bad_account"
    BANK_REQUIRED = "bank_required"
    NOTHING_CHANGED = "nothing_changed"

    ALREADY_CANCELLED = "already_cancelled"
