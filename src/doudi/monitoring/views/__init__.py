"""Thin views: parse input with forms, call services and selectors, render. Out of scope = 404."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes
from doudi.core.errors import DomainError


def monitoring_screen(view):
    """Logged in and allowed to see full records somewhere (warnings name people and their circumstances); otherwise
    the same 404 as a page out of scope."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not region_prefixes(request.user, Action.VIEW_FULL):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def or_404(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except DomainError as exc:
        if exc.http_status == 404:
            raise Http404(exc.message) from exc
        raise


def run_service(request, fn, *args, success: str = "", **kwargs):
    """Call a service; a domain error becomes a message (a 404 stays a 404). Returns the result or None."""
    try:
        result = fn(*args, **kwargs)
    except DomainError as exc:
        if exc.http_status == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
        for line in getattr(exc, "errors", [])[:50]:
            messages.error(request, line)
        return None
    if success:
        messages.success(request, success)
    return result


def form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}：{error}" if label else error)
