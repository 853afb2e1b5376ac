"""Writes for medical-assistance claims: enter, import a settlement file, evaluate with the engine, approve (a
second person), and put approved claims on a payroll. Every write is scoped to the actor's area and audited."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import polars as pl
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.benefits.selectors import basic_coverage
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.eligibility.services import params_for
from doudi.medical.choices import ClaimKind, ClaimSource, ClaimStatus, Payee
from doudi.medical.errors import Code
from doudi.medical.models import MedicalClaim
from doudi.registry.models import Household, Membership, Person
from doudi.rules.medical import CLAIM_SCHEMA, evaluate_claims

if TYPE_CHECKING:
    from doudi.accounts.models import User

PROGRAM_CATEGORY = {"tekun": "tekun", "dibao": "dibao", "dibao_single": "dibao"}  # 特困 > 低保 (rules.medical)


class ClaimError(DomainError):
    code = "claim_error"


def _household_of(actor: User, person: Person, on: dt.date, action: str = Action.CHANGE) -> Household:
    hid = Membership.objects.filter(person=person).as_of(on).values_list("household_id", flat=True).first()
    household = Household.objects.restrict(actor, action).filter(pk=hid).first() if hid else None
    if household is None:
        raise NotFoundOrForbidden(_("未找到该人员，或不在您的辖区内"))
    return household


@transaction.atomic
def claim_create(*, actor: User, person: Person, kind: str, claim_date: dt.date, oop_fen: int, hospital: str = "",
                 source: str = ClaimSource.ENTERED, external_ref: str = "", payee: str = Payee.PERSON,
                 action: str = Action.CHANGE) -> MedicalClaim:
    """``action``: ``change`` at the window, ``submit_data`` for the medical-security department's push."""
    if kind not in ClaimKind.values:
        raise ClaimError(_("请选择医疗救助类别"), code=Code.BAD_KIND, field="kind")
    if oop_fen <= 0:
        raise ClaimError(_("个人自付金额须大于零"), code=Code.BAD_AMOUNT, field="oop_fen")
    if claim_date > timezone.localdate():
        raise ClaimError(_("结算日期不能晚于今天"), code=Code.FUTURE_DATE, field="claim_date")
    if payee not in Payee.values:
        raise ClaimError(_("请选择支付对象"), code=Code.BAD_PAYEE, field="payee")
    household = _household_of(actor, person, claim_date, action)
    claim = MedicalClaim.objects.create(household=household, person=person, kind=kind, claim_date=claim_date,
                                        hospital=hospital.strip()[:100], oop_fen=oop_fen, source=source,
                                        external_ref=external_ref.strip()[:60], entered_by=actor, payee=payee)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=claim, region_code=household.region_id,
                 changes={"kind": kind, "oop_fen": oop_fen, "source": source})
    return claim


def _category(person_id: int, household_id: int, on: dt.date) -> str:
    """The person's category on the claim date: their basic-living program (特困 > 低保), else 低保边缘 when the
    household's latest evaluation found it (rules.medical)."""
    programs = {c.program for c in basic_coverage([person_id], from_month=on.replace(day=1))}
    for program in ("tekun", "dibao", "dibao_single"):
        if program in programs:
            return PROGRAM_CATEGORY[program]
    from doudi.eligibility.models import Evaluation

    latest = Evaluation.objects.filter(household_id=household_id, as_of__lte=on).order_by("-as_of", "-id").first()
    return "margin" if latest and (latest.result.get("margin") or {}).get("eligible") else ""


def _ytd(claims: list[MedicalClaim], year: int) -> dict[tuple[int, str], int]:
    """Paid in ``year`` so far per (person, kind): their approved or paid claims (the claims being evaluated are
    pending or evaluated, so none of them counts), in one query for the group."""
    rows = (MedicalClaim.objects.filter(person_id__in={c.person_id for c in claims}, claim_date__year=year,
                                        status__in=[ClaimStatus.APPROVED, ClaimStatus.PAID])
            .values_list("person_id", "kind").annotate(t=Sum("payable_fen")))
    return {(person, kind): t or 0 for person, kind, t in rows}


@transaction.atomic
def claims_evaluate(*, actor: User, claim_ids: list[int]) -> list[MedicalClaim]:
    """The engine's payable amount for each pending or evaluated claim (in date order per person and kind: one
    annual cap drawn claim by claim), under the profile of the household's area on the claim date."""
    claims = list(MedicalClaim.objects.restrict(actor, Action.CHANGE).select_for_update().filter(
        pk__in=claim_ids, status__in=[ClaimStatus.PENDING, ClaimStatus.EVALUATED])
        .select_related("household__region").order_by("claim_date", "id"))
    for c in claims:
        c.category = _category(c.person_id, c.household_id, c.claim_date)
    groups: dict[tuple[str, str, int], list[MedicalClaim]] = {}
    for c in claims:
        groups.setdefault((c.household.region.effective_profile(), c.household.area_type, c.claim_date.year),
                          []).append(c)
    for (profile, area, year), group in groups.items():
        params = params_for(profile, as_of=max(c.claim_date for c in group), area=area)
        ytd = _ytd(group, year)
        frame = pl.DataFrame([{"claim_id": str(c.pk), "person_id": str(c.person_id), "kind": c.kind,
                               "oop_fen": c.oop_fen, "category": c.category or None,
                               "ytd_fen": ytd.get((c.person_id, c.kind), 0)} for c in group], schema=CLAIM_SCHEMA)
        out = evaluate_claims(frame, params)
        for c, payable, capped in zip(group, out["payable_fen"].to_list(), out["capped"].to_list(), strict=True):
            c.payable_fen, c.capped, c.policy_version = int(payable or 0), bool(capped), params.version()
            c.status = ClaimStatus.EVALUATED
            c.save(update_fields=["category", "payable_fen", "capped", "policy_version", "status"])
            audit_record(actor=actor, action=AuditAction.EVALUATE, obj=c, region_code=c.household.region_id,
                         changes={"payable_fen": c.payable_fen, "category": c.category, "capped": c.capped})
    return claims


def _institution(actor: User, c: MedicalClaim):
    from doudi.payments.payees import institution_for

    inst = institution_for(actor=actor, name=c.hospital) if c.hospital.strip() else None
    if inst is None:
        raise ClaimError(_("医疗机构“%(h)s”未登记收款账户，不能与其结算；请先登记收款机构，或发给救助对象本人") % {
            "h": c.hospital or _("（未填写）")}, code=Code.INSTITUTION_UNKNOWN, field="payee")
    return inst


@transaction.atomic
def claim_approve(*, actor: User, claim: MedicalClaim | int, approve: bool = True, reason: str = "",
                  payee: str = "") -> MedicalClaim:
    """Maker-checker: someone who may decide in the area, not the one who entered or imported the claim. ``payee``:
    paid to the person, or settled to the claim's medical institution (一站式结算; the institution must be
    registered with its account); empty keeps what the claim says."""
    pk = getattr(claim, "pk", claim)
    c = MedicalClaim.objects.restrict(actor, Action.VIEW).select_for_update().filter(pk=pk).first()
    if c is None or not allows(actor, Action.DECIDE, c.household.region_id):
        raise NotFoundOrForbidden(_("未找到该结算记录，或不在您的辖区内"))
    if c.status != ClaimStatus.EVALUATED:
        raise ClaimError(_("须先测算救助金额，方可审批"), code=Code.NOT_EVALUATED)
    if c.entered_by_id == actor.pk:
        raise ClaimError(_("录入人不能审批自己录入的结算（双人审核）"), code=Code.SAME_PERSON)
    if not approve and not reason.strip():
        raise ClaimError(_("不予救助须写明理由"), code=Code.REASON_REQUIRED, field="reason")
    c.payee = payee or c.payee
    if c.payee not in Payee.values:
        raise ClaimError(_("请选择支付对象"), code=Code.BAD_PAYEE, field="payee")
    c.institution = _institution(actor, c) if approve and c.payee == Payee.INSTITUTION else None
    c.status = ClaimStatus.APPROVED if approve and c.payable_fen else ClaimStatus.REJECTED
    c.approved_by, c.approved_at = actor, timezone.now()
    c.save(update_fields=["status", "approved_by", "approved_at", "payee", "institution"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=c, region_code=c.household.region_id,
                 changes={"status": c.status, "payable_fen": c.payable_fen, "payee": c.payee,
                          "institution": c.institution_id}, reason=reason)
    return c
