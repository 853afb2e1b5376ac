"""The stable codes of this app's errors (the API's ``code``; tests and screens match on them)."""

from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    NO_MEMBERS = "no_members"
    BAD_ENGINE_INPUT = "bad_engine_input"
