"""Writes for the case workflow. Views, the API and tasks call these; nothing else changes a case."""

from doudi.cases.services.intake import adjustment_open, application_assist, application_submit
from doudi.cases.services.investigation import investigation_record, investigation_sign
from doudi.cases.services.locality import locality_setting_save
from doudi.cases.services.records import (
    appeal_record,
    appraisal_record,
    rejection_notice_issue,
    verification_record,
)
from doudi.cases.services.transition import case_transition, next_steps

__all__ = [
    "adjustment_open",
    "appeal_record",
    "application_assist",
    "application_submit",
    "appraisal_record",
    "case_transition",
    "investigation_record",
    "investigation_sign",
    "locality_setting_save",
    "next_steps",
    "rejection_notice_issue",
    "verification_record",
]
