from enum import StrEnum

from doudi.core.errors import DomainError


class Code(StrEnum):
    """The stable codes of this app's errors (the API's ``code``; tests and screens match on them)."""

    BAD_REGION = "bad_region"
    MISSING_COLUMNS = "missing_columns"
    BAD_FEED = "bad_feed"
    EMPTY_FILE = "empty_file"
    BAD_ROWS = "bad_rows"
    BAD_ENGINE = "bad_engine"
    DANGLING_HIT = "dangling_hit"
    SIGNATURE_REQUIRED = "signature_required"
    BAD_PHOTO = "bad_photo"
    FINDINGS_REQUIRED = "findings_required"
    BAD_DATE = "bad_date"
    REASON_REQUIRED = "reason_required"
    SAME_PERSON = "same_person"
    NO_REPORT_DEADLINE = "no_report_deadline"
    BAD_CATEGORY = "bad_category"
    BAD_CHANNEL = "bad_channel"
    IDENTIFICATION_OPEN = "identification_open"
    ENGINE_NOT_ELIGIBLE = "engine_not_eligible"
    NOT_MEMBER = "not_member"
    ALREADY_IN = "already_in"
    NOT_MANUAL = "not_manual"
    NOT_MONITORED = "not_monitored"
    NEEDS_REQUIRED = "needs_required"
    PLAN_EXISTS = "plan_exists"
    DEPARTMENT_REQUIRED = "department_required"
    MEASURE_REQUIRED = "measure_required"
    BAD_STATUS = "bad_status"
    NOTE_REQUIRED = "note_required"
    PROPOSAL_REQUIRED = "proposal_required"
    NO_MEMBERS = "no_members"
    PROGRAM_REQUIRED = "program_required"
    AMOUNT_REQUIRED = "amount_required"
    CATEGORY_REQUIRED = "category_required"
    NEED_REQUIRED = "need_required"
    NO_ENTITLEMENT = "no_entitlement"


class MonitoringError(DomainError):
    """A monitoring precondition is not met; ``code`` says which (stable, for the API and tests)."""

    code = "monitoring_error"
    http_status = 422
