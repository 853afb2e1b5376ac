"""Writes for dynamic management. Views, the API, the command and the task call these."""

from doudi.reviews.services.outcome import review_decide, review_evaluate, review_open, review_verify
from doudi.reviews.services.records import credit_record_add, job_offer_record
from doudi.reviews.services.recovery import (
    deduction_settle,
    fine_record,
    overpayment_create,
    overpayment_waive,
    recovery_by_deduction,
    recovery_record,
)
from doudi.reviews.services.scan import review_scan

__all__ = [
    "credit_record_add",
    "deduction_settle",
    "fine_record",
    "job_offer_record",
    "overpayment_create",
    "overpayment_waive",
    "recovery_by_deduction",
    "recovery_record",
    "review_decide",
    "review_evaluate",
    "review_open",
    "review_scan",
    "review_verify",
]
