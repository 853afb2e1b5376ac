"""Request context (IP, user agent) for audit rows written deep inside services."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip: str | None = None
    user_agent: str = ""


current = contextvars.ContextVar("doudi_request_context", default=RequestContext())
