"""The stable codes of this app's errors (the API's ``code``; tests and screens match on them)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    DOCUMENT_REQUIRED = "document_required"
    ADDRESS_REQUIRED = "address_required"
    HOLDER_REQUIRED = "holder_required"
    NOTHING_CHANGED = "nothing_changed"
    NOT_A_MEMBER = "not_a_member"
    BAD_PERIOD = "bad_period"
    BAD_DATE = "bad_date"
    BAD_EVIDENCE_KIND = "bad_evidence_kind"
    REGION_NOT_VILLAGE = "region_not_village"
    NAME_REQUIRED = "name_required"
    BAD_RELATIONSHIP = "bad_relationship"
    DUPLICATE_MEMBER = "duplicate_member"
    DUPLICATE_HEAD = "duplicate_head"
    DEATH_BEFORE_BIRTH = "death_before_birth"
    ID_NAME_MISMATCH = "id_name_mismatch"
    BAD_AMOUNT = "bad_amount"
    NEGATIVE_AMOUNT = "negative_amount"
    NOT_PENDING = "not_pending"
    SAME_PERSON = "same_person"
    NOTE_REQUIRED = "note_required"

    NOT_FOUND = "not_found"
