"""The client's address, for the audit log and the login lockout.

Behind reverse proxies the socket address (``REMOTE_ADDR``) is the nearest proxy's. Each proxy appends the address it
received the request from to ``X-Forwarded-For``, so with N trusted proxies the client is the N-th entry from the
right; anything left of it was written by the client and can be forged. The header is read only when
``DOUDI_TRUSTED_PROXIES`` says how many proxies there are: without it a client could pick the address the log records
and dodge the lockout by sending a different one each time.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme


def _valid(text: str) -> str | None:
    text = (text or "").strip()
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies <= 0:
        return remote
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < proxies:
        # Fewer entries than trusted proxies: the request did not come through all of them; trust only the socket.
        return remote
    return _valid(hops[-proxies]) or remote


def safe_next(request, default: str) -> str:
    """The ``next`` address a form posted, if it stays on this site; else ``default`` (a URL name or path). Never
    follows an outside or malformed address (an open redirect, or a server error on a bad value)."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default
