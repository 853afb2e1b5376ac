"""Hotline API: list and read tickets (callers masked as on the screens), register one (also how a 12345 platform
pushes a work order: the same 工单编号 twice gives the first ticket back), and answer one."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Router, Schema, Status

from doudi.core.errors import NotFoundOrForbidden
from doudi.core.pagination import Rows, paged, stable
from doudi.core.schemas import Id, InputSchema, Text
from doudi.hotline import selectors, services
from doudi.hotline.choices import Channel, TicketKind, Topic
from doudi.hotline.choices import Status as TicketStatus
from doudi.hotline.models import Ticket
from doudi.hotline.services import TicketInput
from doudi.regions.models import Region

router = Router(tags=["热线工单"])


class TicketIn(InputSchema):
    kind: TicketKind
    channel: Channel = Channel.PHONE
    topic: Topic = Topic.OTHER
    region_code: Text(12)
    summary: Text(4000)
    caller_name: Text(50) = ""
    caller_phone: Text(20) = ""
    anonymous: bool = False
    urgent: bool = False
    external_ref: Text(40) = ""


class ReplyIn(InputSchema):
    reply: Text(4000)


class TicketOut(Schema):
    id: int
    number: str
    kind: str
    channel: str
    topic: str
    status: str
    region_code: str
    caller: str
    summary: str
    acknowledge_due: dt.date | None
    response_due: dt.date | None
    resolution_due: dt.date | None
    overdue: bool
    escalated_to: str | None
    reply: str


def _out(t: Ticket, user) -> dict:
    return {"id": t.pk, "number": t.number, "kind": t.kind, "channel": t.channel, "topic": t.topic,
            "status": t.status, "region_code": t.region_id, "caller": selectors.caller_shown(t, user=user),
            "summary": t.summary, "acknowledge_due": t.acknowledge_due, "response_due": t.response_due,
            "resolution_due": t.resolution_due, "overdue": t.is_overdue(timezone.localdate()),
            "escalated_to": t.escalated_to_id, "reply": t.reply}


@router.get("/", response=list[TicketOut])
@paged
def list_tickets(request, kind: str = "", status: str = "", overdue: bool = False, escalated: bool = False):
    qs = selectors.ticket_list(actor=request.user, kind=kind if kind in TicketKind.values else "",
                               status=status if status in TicketStatus.values else "", overdue=overdue,
                               escalated=escalated)
    return Rows(stable(qs), lambda t: _out(t, request.user))


@router.get("/{ticket_id}/", response=TicketOut)
def get_ticket(request, ticket_id: Id):
    return _out(selectors.ticket_get(actor=request.user, pk=ticket_id), request.user)


@router.post("/", response={200: TicketOut, 201: TicketOut})
def create_ticket(request, payload: TicketIn):
    region = Region.objects.filter(code=payload.region_code).first()
    if region is None:
        raise NotFoundOrForbidden("承办区划不存在或不在您的辖区内")
    if payload.external_ref:
        known = selectors.ticket_list(actor=request.user).filter(channel=payload.channel,
                                                                 external_ref=payload.external_ref).first()
        if known is not None:
            return Status(200, _out(known, request.user))
    t = services.ticket_create(actor=request.user, data=TicketInput(
        kind=payload.kind, channel=payload.channel, topic=payload.topic, region=region, summary=payload.summary,
        caller_name=payload.caller_name, caller_phone=payload.caller_phone, anonymous=payload.anonymous,
        urgent=payload.urgent, external_ref=payload.external_ref))
    return Status(201, _out(t, request.user))


@router.post("/{ticket_id}/accept/", response=TicketOut)
def accept_ticket(request, ticket_id: Id):
    return _out(services.ticket_accept(actor=request.user, ticket=ticket_id), request.user)


@router.post("/{ticket_id}/resolve/", response=TicketOut)
def resolve_ticket(request, ticket_id: Id, payload: ReplyIn):
    return _out(services.ticket_resolve(actor=request.user, ticket=ticket_id, reply=payload.reply), request.user)
