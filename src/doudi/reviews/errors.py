from enum import StrEnum

from doudi.core.errors import DomainError


class Code(StrEnum):
    """The stable codes of this app's errors (the API's ``code``; tests and screens match on them)."""

    REVIEW_CLOSED = "review_closed"
    INVALID_REASON = "invalid_reason"
    NOTE_REQUIRED = "note_required"
    INVALID_OUTCOME = "invalid_outcome"
    REASON_REQUIRED = "reason_required"
    ENTITLEMENT_ENDED = "entitlement_ended"
    GRACE_DIBAO_ONLY = "grace_dibao_only"
    GRACE_MONTHS = "grace_months"
    GRACE_NOT_GRANTED = "grace_not_granted"
    AMOUNT_REQUIRED = "amount_required"
    AMOUNT_UNCHANGED = "amount_unchanged"
    NOT_MEMBER = "not_member"
    INVALID_SOURCE = "invalid_source"
    DETAIL_REQUIRED = "detail_required"
    BAD_PERIOD = "bad_period"
    INVALID_RESULT = "invalid_result"
    DEPARTMENT_REQUIRED = "department_required"
    FUTURE_DATE = "future_date"
    REFUSAL_REASON_REQUIRED = "refusal_reason_required"
    INVALID_AMOUNT = "invalid_amount"
    NOTHING_OVERPAID = "nothing_overpaid"
    OVERPAYMENT_CLOSED = "overpayment_closed"
    INVALID_METHOD = "invalid_method"
    DEDUCTION_BY_PAYROLL = "deduction_by_payroll"
    OVER_BALANCE = "over_balance"
    DECISION_REF_REQUIRED = "decision_ref_required"
    FINE_OUT_OF_RANGE = "fine_out_of_range"
    NOTHING_TO_DEDUCT_FROM = "nothing_to_deduct_from"
    EVALUATION_REQUIRED = "evaluation_required"
    OUTCOME_NOT_ENGINES = "outcome_not_engines"
    SCHOOL_PROOF_REQUIRED = "school_proof_required"


class ReviewError(DomainError):
    """A dynamic-management precondition is not met; ``code`` says which (stable, for the API and tests)."""

    code = "review_error"
    http_status = 422
