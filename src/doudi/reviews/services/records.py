"""Credit records (失信, [000] 三(二)4) and job offers (S1 Art 34; S3 Art 45)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.benefits.choices import Program
from doudi.benefits.models import Entitlement
from doudi.cases.errors import CaseError
from doudi.core.errors import NotFoundOrForbidden
from doudi.registry.models import Household, Membership, Person
from doudi.reviews.choices import CreditReason, CreditSource, JobOfferResult
from doudi.reviews.errors import Code, ReviewError
from doudi.reviews.models import CreditRecord, JobOffer, ReviewTask
from doudi.reviews.services.scan import LIVE

if TYPE_CHECKING:
    from doudi.accounts.models import User

REFUSALS_TO_FLAG = 3  # S1 Art 34: 连续3次拒绝


def _household_for_change(actor: User, household) -> Household:
    hh = Household.objects.restrict(actor, Action.CHANGE).filter(pk=getattr(household, "pk", household)).first()
    if hh is None:
        raise NotFoundOrForbidden(_("未找到该家庭，或不在您的辖区内"))
    return hh


def _member(household: Household, person) -> Person:
    pid = getattr(person, "pk", person)
    m = Membership.objects.filter(household=household, person_id=pid).select_related("person").first()
    if m is None:
        raise ReviewError(_("该人员不是此家庭成员"), code=Code.NOT_MEMBER, field="person")
    return m.person


@transaction.atomic
def credit_record_add(*, actor: User, household: Household | int, reason: str, detail: str, decided_on: dt.date,
                      source: str, person: Person | int | None = None, period_start: dt.date | None = None,
                      period_end: dt.date | None = None, decision_ref: str = "",
                      review: ReviewTask | None = None) -> CreditRecord:
    hh = _household_for_change(actor, household)
    who = _member(hh, person) if person else None
    if reason not in CreditReason.values:
        raise ReviewError(_("请选择失信情形"), code=Code.INVALID_REASON, field="reason")
    if source not in CreditSource.values:
        raise ReviewError(_("请选择来源"), code=Code.INVALID_SOURCE, field="source")
    if not detail.strip():
        raise ReviewError(_("请写明认定事实"), code=Code.DETAIL_REQUIRED, field="detail")
    period_start = period_start or decided_on
    if period_end and period_end < period_start:
        raise ReviewError(_("截止日期早于起始日期"), code=Code.BAD_PERIOD, field="period_end")
    row = CreditRecord.objects.create(household=hh, person=who, reason=reason, detail=detail.strip()[:300],
                                      decided_on=decided_on, period_start=period_start, period_end=period_end,
                                      source=source, decision_ref=decision_ref.strip()[:60], review=review,
                                      recorded_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, region_code=hh.region_id,
                 changes={"reason": reason, "person": who.pk if who else None, "decided_on": decided_on,
                          "period": [period_start.isoformat(), period_end.isoformat() if period_end else None],
                          "source": source}, reason=detail)
    return row


def refusal_streak(person_id: int) -> list[JobOffer]:
    """Refusals without good reason since the last accepted offer or refusal with good reason (newest last)."""
    streak: list[JobOffer] = []
    for offer in JobOffer.objects.filter(person_id=person_id).order_by("offered_on", "id"):
        if offer.result == JobOfferResult.REFUSED and not offer.good_reason:
            streak.append(offer)
        else:
            streak = []
    return streak


def member_share_entitlement(household: Household, *, person: Person) -> Entitlement | None:
    """The benefit the member's own share is paid from: their own 低保 (单人户) first, else the household's."""
    live = Entitlement.objects.filter(household=household, status__in=LIVE,
                                      program__in=[Program.DIBAO, Program.DIBAO_SINGLE])
    return live.filter(person=person).first() or live.filter(person__isnull=True).order_by("-id").first()


def member_share_fen(ent: Entitlement) -> int:
    """One member's share of a household benefit: the amount divided by the members covered, half up to the fen."""
    members = max(1, ent.covered_members or 1)
    return (2 * ent.monthly_fen + members) // (2 * members)


@transaction.atomic
def job_offer_record(*, actor: User, household: Household | int, person: Person | int, offered_on: dt.date,
                     department: str, result: str, position: str = "", refusal_reason: str = "",
                     good_reason: bool = False) -> JobOffer:
    hh = _household_for_change(actor, household)
    member = _member(hh, person)
    if result not in JobOfferResult.values:
        raise ReviewError(_("请选择推介结果"), code=Code.INVALID_RESULT, field="result")
    if not department.strip():
        raise ReviewError(_("请填写推介部门"), code=Code.DEPARTMENT_REQUIRED, field="department")
    if offered_on > timezone.localdate():
        raise ReviewError(_("推介日期不能晚于今天"), code=Code.FUTURE_DATE, field="offered_on")
    if result == JobOfferResult.REFUSED and not refusal_reason.strip():
        raise ReviewError(_("请记录拒绝理由"), code=Code.REFUSAL_REASON_REQUIRED, field="refusal_reason")
    offer = JobOffer.objects.create(
        household=hh, person=member, offered_on=offered_on, department=department.strip()[:60],
        position=position.strip()[:100], result=result, refusal_reason=refusal_reason.strip()[:200],
        good_reason=bool(good_reason) and result == JobOfferResult.REFUSED, recorded_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=offer, region_code=hh.region_id,
                 changes={"person": member.pk, "result": result, "good_reason": offer.good_reason})
    streak = refusal_streak(member.pk)
    if len(streak) >= REFUSALS_TO_FLAG and not any(o.flagged for o in streak):
        _flag(actor, hh, member, offer)
    return offer


def _flag(actor: User, hh: Household, member: Person, offer: JobOffer) -> None:
    """S1 Art 34: three consecutive refusals without good reason → reduce or stop that member's own share,
    decided by the county through an adjustment case (notice and written reasons as any decrease)."""
    from doudi.cases.choices import CaseKind
    from doudi.cases.services import adjustment_open

    offer.flagged = True
    ent = member_share_entitlement(hh, person=member)
    reason = _("%(name)s连续%(n)s次无正当理由拒绝就业岗位推介，减发其本人救助金（S1 第34条）") % {
        "name": member.name, "n": REFUSALS_TO_FLAG}
    if ent is None:
        offer.flag_note = _("无在保低保待遇，未发起减发")
    else:
        share = member_share_fen(ent)
        proposed = ent.monthly_fen - share
        own = ent.person_id == member.pk
        kind = CaseKind.STOP if own or proposed <= 0 else CaseKind.DECREASE
        try:
            offer.case = adjustment_open(actor=actor, entitlement=ent, kind=kind,
                                         proposed_monthly_fen=None if kind == CaseKind.STOP else proposed,
                                         reason=reason)
            offer.flag_note = reason[:200]
        except CaseError as exc:
            offer.flag_note = _("未能发起减发：%(m)s") % {"m": exc.message}
    offer.save(update_fields=["flagged", "case", "flag_note"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=offer, region_code=hh.region_id,
                 changes={"flagged": True, "case": offer.case_id}, reason=offer.flag_note)
