"""Reads of the audit log, scoped to the acting user's jurisdiction like every other read (fail closed)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from doudi.accounts.choices import Action, Role
from doudi.audit.models import AuditEvent

if TYPE_CHECKING:
    from doudi.accounts.models import User

# Caseworkers also hold view_full on their records; reading the log itself is for supervisors only.
AUDIT_ROLES = frozenset({Role.AUDITOR, Role.ADMINISTRATOR})


def may_read_log(user: User) -> bool:
    return bool(getattr(user, "roles", set()) & AUDIT_ROLES)


def audit_event_list(
    *,
    actor: User,
    action: str = Action.VIEW_FULL,
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    who: str = "",
) -> QuerySet:
    """Events in ``actor``'s scope for ``action`` (and always within what they may read in full), newest first."""
    qs = AuditEvent.objects.restrict(actor, Action.VIEW_FULL)
    if action != Action.VIEW_FULL:
        qs = qs.restrict(actor, action)
    if kind:
        qs = qs.filter(action=kind)
    if date_from:
        qs = qs.filter(at__date__gte=date_from)
    if date_to:
        qs = qs.filter(at__date__lte=date_to)
    if who:
        qs = qs.filter(actor_name__contains=who)
    return qs.order_by("-at", "-id")
