"""Error codes of policy values (mapped to HTTP by the error classes of ``doudi.core.errors``)."""

from enum import StrEnum


class Code(StrEnum):
    ALREADY_CONFIRMED = "already_confirmed"
    MAKER_CHECKER = "maker_checker"
    INCONSISTENT = "inconsistent"
