"""What a ticket starts elsewhere: a help request becomes an application (pre-filled intake, channel 热线); a
report about a recipient opens a review of that entitlement (S1 Art 37: real-name reports are each checked and
answered). The caller's identity never travels: the review's note names the ticket, not the reporter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.benefits.models import Entitlement
from doudi.cases.choices import Channel as CaseChannel
from doudi.cases.models import Case
from doudi.cases.services import application_submit
from doudi.core.errors import NotFoundOrForbidden
from doudi.hotline.choices import EventKind, TicketKind
from doudi.hotline.errors import Code, HotlineError
from doudi.hotline.models import Ticket
from doudi.hotline.services.tickets import _audit, _event, _lock
from doudi.registry.models import Household, Person
from doudi.reviews.choices import ReviewReason
from doudi.reviews.services import review_open

if TYPE_CHECKING:
    from doudi.accounts.models import User
    from doudi.cases.models import Application
    from doudi.reviews.models import ReviewTask


def _without_caller(ticket: Ticket, text: str) -> str:
    for secret in (ticket.caller_name, ticket.caller_phone):
        if secret:
            text = text.replace(secret, "***")
    return text


@transaction.atomic
def ticket_link(*, actor: User, ticket: Ticket | int, household: Household | None = None,
                case: Case | None = None) -> Ticket:
    """关联: the household (and case) the ticket is about; both must be in the actor's jurisdiction."""
    t = _lock(actor, ticket)
    if household is not None:
        if not Household.objects.restrict(actor, Action.VIEW).filter(pk=household.pk).exists():
            raise NotFoundOrForbidden(_("未找到该家庭，或不在您的辖区内"))
        t.household = household
    if case is not None:
        if not Case.objects.restrict(actor, Action.VIEW).filter(pk=case.pk).exists():
            raise NotFoundOrForbidden(_("未找到该案件，或不在您的辖区内"))
        t.case, t.household = case, t.household or case.household
    t.save(update_fields=["household", "case"])
    _event(t, EventKind.LINKED, actor, note=str(t.household or ""))
    _audit(actor, t, AuditAction.UPDATE, {"household": t.household_id, "case": t.case_id})
    return t


@transaction.atomic
def ticket_to_application(*, actor: User, ticket: Ticket | int, applicant: Person, programs: list[str],
                          commitment_signed: bool = False) -> Application:
    """求助 → 救助申请: the intake pre-filled from the ticket (household, statement, channel 热线)."""
    t = _lock(actor, ticket)
    if t.kind != TicketKind.HELP:
        raise HotlineError(_("只有求助类工单可以转为救助申请"), code=Code.NOT_A_HELP_REQUEST)
    if t.household_id is None:
        raise HotlineError(_("请先关联求助家庭"), code=Code.NO_HOUSEHOLD, field="household")
    app = application_submit(
        actor=actor, household=t.household, applicant=applicant, programs=programs, channel=CaseChannel.HOTLINE,
        commitment_signed=commitment_signed, statement=_("热线工单 %(n)s：%(s)s") % {"n": t.number, "s": t.summary},
    )
    t.application = app
    t.case = t.case or app.cases.first()
    t.save(update_fields=["application", "case"])
    _event(t, EventKind.APPLICATION, actor, note=app.number)
    _audit(actor, t, AuditAction.UPDATE, {"application": app.number})
    return app


@transaction.atomic
def ticket_open_review(*, actor: User, ticket: Ticket | int, entitlement: Entitlement) -> ReviewTask:
    """举报 → 核查: a review of the reported entitlement, keyed by the ticket so it opens once."""
    t = _lock(actor, ticket)
    if t.kind not in (TicketKind.REPORT, TicketKind.COMPLAINT):
        raise HotlineError(_("只有举报、投诉类工单可以启动核查"), code=Code.NOT_A_REPORT)
    note = _("群众举报（热线工单 %(n)s）：%(s)s") % {"n": t.number, "s": _without_caller(t, t.summary)}
    task = review_open(actor=actor, entitlement=entitlement, reason=ReviewReason.REPORT, key=f"hotline:{t.pk}",
                       note=note[:300])
    t.entitlement, t.review = entitlement, task
    t.household = t.household or entitlement.household
    t.save(update_fields=["entitlement", "review", "household"])
    _event(t, EventKind.REVIEW, actor, note=str(task.pk))
    _audit(actor, t, AuditAction.UPDATE, {"review": task.pk})
    return task
