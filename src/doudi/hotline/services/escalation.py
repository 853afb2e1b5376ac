"""超时督办: an open ticket past a due date is watched by the level above, one level per missed stage.

Missing the receipt limit puts it under the level above the handling area, missing the first-answer limit one more
level up, missing the resolution limit one more (never above the province). The wanted level is computed from the
dates, so a re-run the same day changes nothing and two runs at once cannot escalate twice (a conditional update
claims each row). Run daily by ``doudi hotline_escalate`` or the ``escalate_tickets`` task.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.hotline.choices import OPEN_STATUSES, EventKind, Status
from doudi.hotline.models import Ticket, TicketEvent
from doudi.regions.models import Region

if TYPE_CHECKING:
    from doudi.accounts.models import User


def missed_stages(ticket: Ticket, *, today: dt.date) -> int:
    missed = 0
    ack_due = ticket.acknowledge_due
    if ack_due is not None and ack_due < today:
        late = ticket.acknowledged_at is not None and timezone.localdate(ticket.acknowledged_at) > ack_due
        if ticket.status == Status.RECEIVED or late:
            missed += 1
    if ticket.response_due and ticket.response_due < today and ticket.status in (Status.RECEIVED, Status.ACCEPTED):
        missed += 1
    if ticket.resolution_due and ticket.resolution_due < today and ticket.is_open:
        missed += 1
    return missed


def _wanted(ticket: Ticket, missed: int) -> Region | None:
    node = ticket.region
    for _step in range(missed):
        if node.parent is None:
            break
        node = node.parent
    return None if node.pk == ticket.region_id else node


def ticket_escalate_overdue(*, today: dt.date, actor: User | None = None, region_prefix: str = "") -> int:
    """Escalate every overdue open ticket (under ``region_prefix`` if given); returns how many moved up."""
    moved = 0
    candidates = Ticket.objects.overdue(today).select_related("region__parent__parent__parent", "escalated_to")
    if region_prefix:
        candidates = candidates.filter(region__code__startswith=region_prefix)
    for ticket in candidates.iterator(chunk_size=500):
        target = _wanted(ticket, missed_stages(ticket, today=today))
        current = ticket.escalated_to
        if target is None or (current is not None and len(current.prefix) <= len(target.prefix)
                              and target.code.startswith(current.prefix)):
            continue
        with transaction.atomic():
            claimed = Ticket.objects.filter(pk=ticket.pk, escalated_to=current, status__in=OPEN_STATUSES).update(
                escalated_to=target)
            if not claimed:
                continue
            TicketEvent.objects.create(
                ticket=ticket, kind=EventKind.ESCALATED, from_region=current or ticket.region, to_region=target,
                note=_("超过办理时限，由%(r)s督办") % {"r": target.name})
            audit_record(actor=actor, action=AuditAction.TRANSITION, obj=ticket, region_code=ticket.region_id,
                         changes={"escalated_to": [getattr(current, "code", ""), target.code]},
                         reason=_("超时督办"))
            moved += 1
    return moved
