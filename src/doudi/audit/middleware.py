from __future__ import annotations

from doudi.audit.context import RequestContext, current
from doudi.core.net import client_ip


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current.set(
            RequestContext(
                ip=client_ip(request),
                user_agent=(request.META.get("HTTP_USER_AGENT") or "")[:200],
            )
        )
        try:
            return self.get_response(request)
        finally:
            current.reset(token)
