"""A ticket's own life: registered (by a caseworker on the phone, from the public form, or by the 12345 import),
accepted, first answer, transfer between levels and departments, one answer back to the caller, return visit."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action, Department
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import NotFoundOrForbidden
from doudi.hotline.choices import Channel, EventKind, Satisfaction, Status, TicketKind, Topic
from doudi.hotline.errors import Code, HotlineError
from doudi.hotline.limits import dues_for, handling_region, staff_complaint_region
from doudi.hotline.models import Ticket, TicketEvent
from doudi.regions.models import Region

if TYPE_CHECKING:
    from doudi.accounts.models import User


@dataclass(frozen=True)
class TicketInput:
    kind: str
    channel: str
    summary: str
    region: Region
    topic: str = Topic.OTHER
    caller_name: str = ""
    caller_phone: str = ""
    anonymous: bool = False
    urgent: bool = False
    external_ref: str = ""
    department: str = Department.CIVIL_AFFAIRS
    household_id: int | None = None
    subject_staff: object | None = None


# Allowed moves of the status; transfer and escalation do not change it (a transfer returns it to RECEIVED).
NEXT: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset({Status.ACCEPTED}),
    Status.ACCEPTED: frozenset({Status.RESPONDED, Status.RESOLVED}),
    Status.RESPONDED: frozenset({Status.RESOLVED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.ACCEPTED}),
    Status.CLOSED: frozenset(),
}


def _check(data: TicketInput) -> None:
    if data.kind not in TicketKind.values:
        raise HotlineError(_("工单类型无效"), code=Code.BAD_KIND, field="kind")
    if data.channel not in Channel.values:
        raise HotlineError(_("来源渠道无效"), code=Code.BAD_CHANNEL, field="channel")
    if data.topic not in Topic.values:
        raise HotlineError(_("事项类别无效"), code=Code.BAD_TOPIC, field="topic")
    if not data.summary.strip():
        raise HotlineError(_("请填写诉求内容"), code=Code.SUMMARY_REQUIRED, field="summary")


def _audit(actor: User, ticket: Ticket, action: str, changes: dict, reason: str = "") -> None:
    # Never the caller's name or phone: the audit log is read by auditors, who are not the handler.
    audit_record(actor=actor, action=action, obj=ticket, region_code=ticket.region_id, changes=changes,
                 reason=reason)


def _event(ticket: Ticket, kind: str, actor: User, note: str = "", **regions) -> TicketEvent:
    return TicketEvent.objects.create(ticket=ticket, kind=kind, actor=actor if getattr(actor, "pk", None) else None,
                                      note=note, **regions)


def _new(data: TicketInput, actor: User, region: Region) -> Ticket:
    _check(data)
    if data.kind == TicketKind.COMPLAINT and data.subject_staff is not None:
        region = staff_complaint_region(data.subject_staff) or region
    region = handling_region(region)
    now = timezone.now()
    dues = dues_for(region=region, kind=data.kind, urgent=data.urgent, received_on=timezone.localdate(now))
    ticket = Ticket.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:18]}", kind=data.kind, channel=data.channel, topic=data.topic,
        urgent=data.urgent, summary=data.summary.strip(), anonymous=data.anonymous,
        caller_name="" if data.anonymous else data.caller_name.strip(),
        caller_phone="" if data.anonymous else data.caller_phone.strip(),
        external_ref=data.external_ref.strip(), region=region, department=data.department,
        household_id=data.household_id, subject_staff=data.subject_staff, received_at=now,
        acknowledge_due=dues.acknowledge, response_due=dues.response, resolution_due=dues.resolution,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    ticket.number = f"RX{timezone.localdate(now):%Y%m%d}{ticket.pk:06d}"
    ticket.save(update_fields=["number"])
    _event(ticket, EventKind.RECEIVED, actor, to_region=region, note=ticket.get_channel_display())
    _audit(actor, ticket, AuditAction.CREATE,
           {"kind": ticket.kind, "channel": ticket.channel, "region": region.code,
            "resolution_due": ticket.resolution_due})
    return ticket


@transaction.atomic
def ticket_create(*, actor: User, data: TicketInput) -> Ticket:
    """A caseworker registers a call, letter or visit for an area in their jurisdiction."""
    if not allows(actor, Action.CHANGE, data.region.code):
        raise NotFoundOrForbidden(_("所选区划不在您的辖区内"))
    return _new(data, actor, data.region)


@transaction.atomic
def ticket_submit_public(*, data: TicketInput) -> Ticket:
    """The public form (no login): always a web message, never linked to a household by the caller."""
    if data.region.level not in ("township", "county"):
        raise HotlineError(_("请选择所在乡镇（街道）"), code=Code.BAD_REGION, field="region")
    data = TicketInput(kind=data.kind, channel=Channel.WEB, summary=data.summary, region=data.region,
                       topic=data.topic, caller_name=data.caller_name, caller_phone=data.caller_phone,
                       anonymous=data.anonymous, urgent=data.urgent)
    return _new(data, None, data.region)


def _lock(actor: User, ticket: Ticket | int) -> Ticket:
    pk = getattr(ticket, "pk", ticket)
    found = Ticket.objects.restrict(actor, Action.CHANGE).select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该工单，或不在您的辖区内"))
    return found


def _move(actor: User, ticket: Ticket, to: str, *, note: str = "", event: str | None = None) -> Ticket:
    if to not in NEXT[ticket.status]:
        raise HotlineError(_("工单不能从“%(a)s”变为“%(b)s”") % {"a": Status(ticket.status).label,
                                                            "b": Status(to).label},
                           code=Code.ILLEGAL_STEP)
    old, ticket.status = ticket.status, to
    ticket.save()
    _event(ticket, event or to, actor, note=note)
    _audit(actor, ticket, AuditAction.TRANSITION, {"status": [old, to]}, reason=note[:500])
    return ticket


@transaction.atomic
def ticket_accept(*, actor: User, ticket: Ticket | int) -> Ticket:
    """受理: the accepting person becomes the handler (and may see a protected caller)."""
    t = _lock(actor, ticket)
    t.handler, t.acknowledged_at = actor, timezone.now()
    return _move(actor, t, Status.ACCEPTED, event=EventKind.ACCEPTED)


@transaction.atomic
def ticket_respond(*, actor: User, ticket: Ticket | int, text: str) -> Ticket:
    """首次答复: a first answer to the caller (what will be done, by when)."""
    if not text.strip():
        raise HotlineError(_("请填写答复内容"), code=Code.REPLY_REQUIRED, field="text")
    t = _lock(actor, ticket)
    t.responded_at = timezone.now()
    return _move(actor, t, Status.RESPONDED, note=text.strip(), event=EventKind.RESPONDED)


@transaction.atomic
def ticket_resolve(*, actor: User, ticket: Ticket | int, reply: str) -> Ticket:
    """办结答复: the one answer back to the caller (多线受理、一门反馈, seed 003)."""
    if not reply.strip():
        raise HotlineError(_("办结时须填写给来电人的答复"), code=Code.REPLY_REQUIRED, field="reply")
    t = _lock(actor, ticket)
    t.reply, t.resolved_at = reply.strip(), timezone.now()
    t.handler = t.handler or actor
    if t.responded_at is None:
        t.responded_at = t.resolved_at
    return _move(actor, t, Status.RESOLVED, note=t.reply, event=EventKind.RESOLVED)


@transaction.atomic
def ticket_callback(*, actor: User, ticket: Ticket | int, satisfaction: str, note: str = "") -> Ticket:
    """回访: the caller's satisfaction. An unsatisfied caller gets the ticket reopened for handling again."""
    if satisfaction not in Satisfaction.values:
        raise HotlineError(_("请选择回访结果"), code=Code.BAD_SATISFACTION, field="satisfaction")
    t = _lock(actor, ticket)
    if t.status != Status.RESOLVED:
        raise HotlineError(_("办结答复后才能回访"), code=Code.ILLEGAL_STEP)
    t.satisfaction, t.callback_at = satisfaction, timezone.now()
    label = Satisfaction(satisfaction).label
    text = f"{label}{'：' + note.strip() if note.strip() else ''}"
    if satisfaction == Satisfaction.UNSATISFIED:
        t.resolved_at = None
        return _move(actor, t, Status.ACCEPTED, note=_("回访不满意，重新办理。") + text, event=EventKind.CALLBACK)
    return _move(actor, t, Status.CLOSED, note=text, event=EventKind.CALLBACK)


def _related(a: Region, b: Region) -> bool:
    return a.code.startswith(b.prefix) or b.code.startswith(a.prefix)


@transaction.atomic
def ticket_transfer(*, actor: User, ticket: Ticket | int, to_region: Region, reason: str,
                    department: str = Department.CIVIL_AFFAIRS) -> Ticket:
    """转办: up or down the four levels (or to another department of the same area). The new area accepts it again;
    the due dates stay (the caller's wait does not restart)."""
    t = _lock(actor, ticket)
    if not t.is_open:
        raise HotlineError(_("已办结的工单不能转办"), code=Code.ILLEGAL_STEP)
    if not reason.strip():
        raise HotlineError(_("请写明转办理由"), code=Code.REPLY_REQUIRED, field="reason")
    if department not in Department.values:
        raise HotlineError(_("承办部门无效"), code=Code.BAD_REGION, field="department")
    target = handling_region(to_region)
    if not _related(target, t.region) or (target.pk == t.region_id and department == t.department):
        raise HotlineError(_("只能转给本级的其他部门，或上级、下级承办区划"), code=Code.BAD_REGION, field="to_region")
    old_region = t.region
    t.region, t.department, t.status, t.handler = target, department, Status.RECEIVED, None
    t.save()
    _event(t, EventKind.TRANSFERRED, actor, note=reason.strip(), from_region=old_region, to_region=target)
    _audit(actor, t, AuditAction.TRANSITION, {"region": [old_region.code, target.code], "department": department},
           reason=reason.strip())
    return t


def caller_reveal(*, actor: User, ticket: Ticket) -> tuple[str, str]:
    """The caller's name and phone for someone allowed to see them in full; the view is audited."""
    if not ticket.caller_visible_to(actor) or not allows(actor, Action.VIEW_FULL, ticket.region_id):
        raise NotFoundOrForbidden(_("来电人信息仅承办人可见"))
    _event(ticket, EventKind.REPORTER_VIEWED, actor)
    _audit(actor, ticket, AuditAction.VIEW, {"fields": ["caller_name", "caller_phone"]})
    return ticket.caller_name, ticket.caller_phone
