"""The stable codes of this app's errors (the API's ``code``; tests and screens match on them)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    BAD_NEED_TYPE = "bad_need_type"
    ANSWER_REQUIRED = "answer_required"
    NO_ANSWER_LIMIT = "no_answer_limit"
