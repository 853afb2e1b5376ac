"""Typed errors of the hotline (one enum of codes, Chinese messages)."""

from __future__ import annotations

from enum import StrEnum

from doudi.core.errors import DomainError


class Code(StrEnum):
    BAD_KIND = "bad_kind"
    BAD_CHANNEL = "bad_channel"
    BAD_TOPIC = "bad_topic"
    SUMMARY_REQUIRED = "summary_required"
    REPLY_REQUIRED = "reply_required"
    ILLEGAL_STEP = "illegal_step"
    BAD_REGION = "bad_region"
    NOT_A_HELP_REQUEST = "not_a_help_request"
    NOT_A_REPORT = "not_a_report"
    NO_HOUSEHOLD = "no_household"
    NO_LIMITS = "no_limits"
    BAD_IMPORT = "bad_import"
    BAD_SATISFACTION = "bad_satisfaction"


class HotlineError(DomainError):
    code = "hotline_error"

    def __init__(self, message: str, *, code: Code, field: str | None = None):
        super().__init__(message, code=str(code), field=field)
