"""Hotline reads, scoped to the user's jurisdiction (no grant, no rows)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes
from doudi.core.errors import NotFoundOrForbidden
from doudi.hotline.choices import Status, TicketKind
from doudi.hotline.models import HotlineLine, Ticket

if TYPE_CHECKING:
    from doudi.accounts.models import User


def ticket_filters(params) -> dict:
    """The list's filters from a query string (unknown values mean "all")."""
    kind = params.get("kind", "")
    status = params.get("status", "")
    return {"kind": kind if kind in TicketKind.values else "", "status": status if status in Status.values else "",
            "overdue": params.get("overdue") == "1", "escalated": params.get("escalated") == "1"}


def ticket_list(*, actor: User, kind: str = "", status: str = "", overdue: bool = False, escalated: bool = False,
                today: dt.date | None = None) -> QuerySet:
    # Tickets carry what callers said about themselves or others: roles that see full records only (no departments).
    qs = Ticket.objects.restrict(actor, Action.VIEW_FULL).select_related("region", "escalated_to")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.overdue(today or timezone.localdate())
    if escalated:
        qs = qs.filter(escalated_to__isnull=False).open()
    return qs


def escalated_to_me(*, actor: User) -> QuerySet:
    """Open tickets the user's own areas must watch (督办): escalated to exactly the level where they hold a grant."""
    codes = [g.region_id for g in actor.grants.all()] if getattr(actor, "is_authenticated", False) else []
    return ticket_list(actor=actor).filter(escalated_to_id__in=codes).open()


def ticket_get(*, actor: User, pk: int, action: str = Action.VIEW_FULL) -> Ticket:
    found = (Ticket.objects.restrict(actor, action)
             .select_related("region", "escalated_to", "household", "case", "handler", "application", "review")
             .filter(pk=pk).first())
    if found is None:
        raise NotFoundOrForbidden(_("未找到该工单，或不在您的辖区内"))
    return found


def ticket_view_full(*, actor: User, pk: int) -> Ticket:
    """The ticket's page (the caller as far as they may see it, what was said, the linked household): a full
    record, so every view is audited. The audit row names the ticket only, never the caller."""
    from doudi.audit.models import AuditAction
    from doudi.audit.services import audit_record

    found = ticket_get(actor=actor, pk=pk)
    audit_record(actor=actor, action=AuditAction.VIEW, obj=found, object_repr=found.number,
                 region_code=found.region_id)
    return found


def mask_name(name: str) -> str:
    """张** style: the family name only (for lists and for anyone who is not the handler)."""
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    return digits[:3] + "****" + digits[-4:] if len(digits) >= 11 else ("*" * len(digits))


def caller_shown(ticket: Ticket, *, user: User) -> str:
    """What a screen may show of the caller without an audited reveal."""
    if ticket.anonymous or not ticket.caller_name:
        return _("匿名")
    if not ticket.caller_visible_to(user):
        return _("（举报人、投诉人信息已保密）")
    return f"{mask_name(ticket.caller_name)} {mask_phone(ticket.caller_phone)}".strip()


def lines_in(*, actor: User, action: str = Action.VIEW) -> QuerySet:
    return HotlineLine.objects.restrict(actor, action).select_related("region")


def public_lines(*, prefix: str) -> QuerySet:
    """Hotline numbers of an area and of every level above it (public information, no login)."""
    ancestors = Q()
    for n in (2, 4, 6, 9):
        if len(prefix) >= n:
            ancestors |= Q(region__code=prefix[:n].ljust(12, "0"))
    return HotlineLine.objects.filter(ancestors | Q(region__code__startswith=prefix), active=True) \
        .select_related("region").order_by("region_id", "id")


def handling_regions_exist(actor: User) -> bool:
    return bool(region_prefixes(actor, Action.CHANGE))
