"""Request context (IP, user agent) for audit rows written deep inside services."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    user_agent: str = ""


EMPTY = RequestContext()
current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar("doudi_request_context", default=None)
