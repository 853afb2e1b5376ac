"""The responses a confirmed warning can have, each carried out by the service that owns it (S7 §3(4) 分类处置).

This module only calls other apps' public services: the case intake for an application, the referral service
for another department, the review service for a payment; it copies none of their rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.benefits.choices import EntitlementStatus, Program
from doudi.benefits.models import Entitlement
from doudi.cases.choices import Channel, TemporaryCause, TemporaryType
from doudi.cases.services import application_submit
from doudi.cases.workflow import TemporaryDetails
from doudi.monitoring.choices import IdentificationCategory, IdentificationChannel, Response
from doudi.monitoring.errors import Code, MonitoringError
from doudi.referrals.choices import NeedType
from doudi.referrals.services import referral_create
from doudi.registry.choices import Relationship
from doudi.registry.models import Household, Membership
from doudi.reviews.choices import ReviewReason
from doudi.reviews.services import review_open

if TYPE_CHECKING:
    from doudi.accounts.models import User

APPLY_PROGRAMS = (Program.DIBAO, Program.DIBAO_SINGLE, Program.TEKUN, Program.TEMPORARY)
PAID_PROGRAMS = (Program.DIBAO, Program.DIBAO_SINGLE, Program.TEKUN)
# The kind of temporary assistance a warning's feed points to (S6 §2(1): emergency vs expenditure type).
TEMPORARY_BY_FEED = {
    "medical_settlement": (TemporaryType.EXPENDITURE, TemporaryCause.SERIOUS_ILLNESS),
    "education": (TemporaryType.EXPENDITURE, TemporaryCause.EDUCATION),
    "disaster": (TemporaryType.EMERGENCY, TemporaryCause.ACCIDENT),
    "death": (TemporaryType.EMERGENCY, TemporaryCause.OTHER),
}


@dataclass(frozen=True)
class Proposal:
    response: str
    detail: str = ""  # the program, the category or the need
    reason: str = ""
    requested_fen: int = 0  # temporary assistance only


def live_entitlement(household: Household) -> Entitlement | None:
    month = timezone.localdate().replace(day=1)
    return (Entitlement.objects.filter(household=household, program__in=PAID_PROGRAMS,
                                       status__in=[EntitlementStatus.ACTIVE, EntitlementStatus.GRACE])
            .filter(Q(end_month__isnull=True) | Q(end_month__gte=month)).order_by("-start_month").first())


def check_proposal(household: Household, *, p: Proposal) -> None:
    if p.response not in Response.values:
        raise MonitoringError(_("请选择处置建议"), code=Code.PROPOSAL_REQUIRED, field="proposal")
    if p.response == Response.APPLY:
        if p.detail not in APPLY_PROGRAMS:
            raise MonitoringError(_("请选择申请的救助项目"), code=Code.PROGRAM_REQUIRED, field="detail")
        if p.detail == Program.TEMPORARY and p.requested_fen <= 0:
            raise MonitoringError(_("临时救助须填写申请金额"), code=Code.AMOUNT_REQUIRED, field="requested")
    elif p.response == Response.IDENTIFY and p.detail not in IdentificationCategory.values:
        raise MonitoringError(_("请选择认定类别"), code=Code.CATEGORY_REQUIRED, field="detail")
    elif p.response == Response.REFER and p.detail not in NeedType.values:
        raise MonitoringError(_("请选择转介的救助需求"), code=Code.NEED_REQUIRED, field="detail")
    elif p.response in (Response.REVIEW, Response.STOP) and live_entitlement(household) is None:
        raise MonitoringError(_("该家庭没有在保待遇，无需复核或停发"), code=Code.NO_ENTITLEMENT, field="proposal")
    elif p.response == Response.DISMISS and not p.reason.strip():
        raise MonitoringError(_("排除须写明理由"), code=Code.REASON_REQUIRED, field="reason")


def _applicant(household: Household):
    today = timezone.localdate()
    members = Membership.objects.filter(household=household).as_of(today).select_related("person")
    head = members.filter(relationship=Relationship.HEAD).first() or members.order_by("id").first()
    if head is None:
        raise MonitoringError(_("该家庭没有在册成员，无法申请"), code=Code.NO_MEMBERS)
    return head.person


def carry_out(*, actor: User, alert, visit, proposal: Proposal) -> str:
    """Run the response; returns what it created as ``app.model:id`` (empty for a dismissal)."""
    household = alert.household
    check_proposal(household, p=proposal)
    statement = _("主动发现（%(rule)s）：%(findings)s") % {"rule": alert.rule_title, "findings": visit.findings}
    if proposal.response == Response.APPLY:
        temporary = None
        if proposal.detail == Program.TEMPORARY:
            feed = alert.feed_row.feed if alert.feed_row_id else ""
            kind, cause = TEMPORARY_BY_FEED.get(feed, (TemporaryType.EXPENDITURE, TemporaryCause.OTHER))
            temporary = TemporaryDetails(type=kind, cause=cause, requested_fen=proposal.requested_fen)
        app = application_submit(actor=actor, household=household, applicant=_applicant(household),
                                 programs=[proposal.detail], channel=Channel.DISCOVERY, statement=statement[:1000],
                                 temporary=temporary)
        return f"cases.application:{app.pk}"
    if proposal.response == Response.IDENTIFY:
        from doudi.monitoring.services.identification import identification_propose

        ident = identification_propose(actor=visit.visitor, household=household, category=proposal.detail,
                                       channel=IdentificationChannel.WARNING, statement=statement, alert=alert)
        return f"monitoring.identification:{ident.pk}"
    if proposal.response == Response.REFER:
        referral = referral_create(actor=actor, household=household, need_type=proposal.detail,
                                   need_detail=statement)
        return f"referrals.referral:{referral.pk}"
    if proposal.response in (Response.REVIEW, Response.STOP):
        note = statement if proposal.response == Response.REVIEW else _("停发核查：%(s)s") % {"s": statement}
        task = review_open(actor=actor, entitlement=live_entitlement(household), reason=ReviewReason.DISCREPANCY,
                           key=f"alert:{alert.pk}", note=note[:300])
        return f"reviews.reviewtask:{task.pk}"
    return ""
