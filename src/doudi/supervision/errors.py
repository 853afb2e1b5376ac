from __future__ import annotations

from enum import StrEnum

from doudi.core.errors import DomainError


class Code(StrEnum):
    BAD_REGION = "bad_region"
    BAD_SIZE = "bad_size"
    EMPTY_POPULATION = "empty_population"
    NO_INSPECTORS = "no_inspectors"
    BAD_FINDING = "bad_finding"
    NOT_INSPECTED = "not_inspected"
    OPEN_ITEMS = "open_items"
    ALREADY_PUBLISHED = "already_published"
    TEXT_REQUIRED = "text_required"
    NO_LIMITS = "no_limits"


class SupervisionError(DomainError):
    code = "supervision_error"

    def __init__(self, message: str, *, code: Code, field: str | None = None):
        super().__init__(message, code=str(code), field=field)
