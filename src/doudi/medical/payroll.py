"""Approved medical-assistance claims paid through the payroll machinery, to the person or to the hospital.

- To the person: one ``payments.Payroll`` of program ``medical`` per jurisdiction and month; one line per person
  (the sum of their approved claims not yet paid) on a per-person medical ``Entitlement`` that carries no monthly
  amount, paid to the household's account.
- Settled to the medical institution (一站式结算): one settlement payroll per jurisdiction, institution and month
  (``Payroll.institution``); one line per person (kind ``settlement``), paid to the institution's account.

Both are then reviewed, approved (maker ≠ reviewer ≠ approver), exported to the bank and reconciled like every
other payroll (``payments.services.payroll_transition``, ``bankfiles``). Claims are taken ``CHUNK`` persons at a
time with a fixed number of queries per chunk, however many persons a chunk holds.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.benefits.choices import EntitlementStatus, Program
from doudi.benefits.models import Entitlement
from doudi.core.errors import NotFoundOrForbidden
from doudi.medical.choices import ClaimStatus, Payee
from doudi.medical.errors import Code
from doudi.medical.models import MedicalClaim
from doudi.medical.services import ClaimError
from doudi.payments.choices import KIND_CODE, GenerationState, LineKind, LineStatus, PayrollStatus
from doudi.payments.models import PayeeInstitution, Payroll, PayrollLine
from doudi.regions.models import Region

if TYPE_CHECKING:
    from doudi.accounts.models import User

CHUNK = 500  # persons per chunk


def _region(actor: User, region_code: str) -> Region:
    region = Region.objects.filter(pk=region_code).first()
    if region is None or not allows(actor, Action.CHANGE, region.code):
        raise NotFoundOrForbidden(_("未找到该区划，或不在您的辖区内"))
    if region.level not in ("county", "township"):
        raise ClaimError(_("发放名册按县（市、区）或乡镇（街道）编制"), code=Code.BAD_LEVEL)
    return region


def _carriers(claims: list[MedicalClaim], month: dt.date) -> dict[tuple[int, int], Entitlement]:
    """(household, person) → the person's medical carrier entitlement (no monthly amount, never "live"), created
    for those who have none: two queries for the chunk."""
    keys = {(c.household_id, c.person_id) for c in claims}
    found = {(e.household_id, e.person_id): e for e in Entitlement.objects.filter(
        person_id__in={p for _h, p in keys}, program=Program.MEDICAL).order_by("id")}
    missing = [Entitlement(household_id=h, person_id=p, program=Program.MEDICAL, monthly_fen=0, start_month=month,
                           end_month=month, status=EntitlementStatus.ENDED) for h, p in sorted(keys - set(found))]
    for e in Entitlement.objects.bulk_create(missing):
        found[(e.household_id, e.person_id)] = e
    return found


def _account(c: MedicalClaim, institution: PayeeInstitution | None) -> dict[str, str]:
    payee = institution or c.household
    return {"bank_name": payee.bank_name, "bank_account": payee.bank_account, "account_holder": payee.account_holder}


def _chunk(payroll: Payroll, claims: list[MedicalClaim], month: dt.date, institution: PayeeInstitution | None) -> None:
    """Put one chunk of claims (whole persons) on ``payroll``: 7 queries whatever the chunk's size."""
    kind = LineKind.SETTLEMENT if institution else LineKind.REGULAR
    by_person: dict[tuple[int, int], list[MedicalClaim]] = defaultdict(list)
    for c in claims:
        by_person[(c.household_id, c.person_id)].append(c)
    carriers = _carriers(claims, month)
    ent_ids = [carriers[k].pk for k in by_person]
    existing = PayrollLine.objects.filter(entitlement_id__in=ent_ids, kind=kind)
    existing = existing.filter(payroll=payroll) if institution else existing.filter(month=month)
    lines = {ln.entitlement_id: ln for ln in existing}
    if any(ln.payroll_id != payroll.pk or ln.status != LineStatus.PENDING for ln in lines.values()):
        raise ClaimError(_("该人员本月医疗救助已列入其他名册"), code=Code.ALREADY_ON_PAYROLL)
    new = []
    for key, group in by_person.items():
        ent, first = carriers[key], group[0]
        amount = sum(c.payable_fen for c in group)
        if ent.pk in lines:
            lines[ent.pk].amount_fen += amount
            continue
        code = f"{KIND_CODE[kind]}{institution.pk:06d}" if institution else ""
        new.append(PayrollLine(payroll=payroll, entitlement=ent, household_id=first.household_id,
                               person_id=first.person_id, region_code=first.household.region_id,
                               program=Program.MEDICAL, month=month, kind=kind, amount_fen=amount, persons=1,
                               reference=f"{month:%Y%m}Y{code}{ent.pk:010d}", **_account(first, institution)))
    PayrollLine.objects.bulk_update(list(lines.values()), ["amount_fen"])
    for ln in PayrollLine.objects.bulk_create(new):
        lines[ln.entitlement_id] = ln
    for c in claims:
        c.payroll_line, c.status = lines[carriers[(c.household_id, c.person_id)].pk], ClaimStatus.PAID
    MedicalClaim.objects.bulk_update(claims, ["payroll_line", "status"])


def _fill(actor: User, payroll: Payroll, region: Region, month: dt.date,
          institution: PayeeInstitution | None) -> Payroll:
    if payroll.status != PayrollStatus.DRAFT:
        raise ClaimError(_("%(m)s医疗救助名册已审核，新审批的结算列入下月名册") % {"m": f"{month:%Y年%m月}"},
                         code=Code.FROZEN)
    claims = (MedicalClaim.objects.select_for_update().filter(
        status=ClaimStatus.APPROVED, payroll_line__isnull=True, household__region__code__startswith=region.prefix,
        payee=Payee.INSTITUTION if institution else Payee.PERSON)
        .select_related("household").order_by("person_id", "claim_date", "id"))
    if institution is not None:
        claims = claims.filter(institution=institution)
    claims = list(claims)
    persons = sorted({c.person_id for c in claims})
    for i in range(0, len(persons), CHUNK):
        part = set(persons[i:i + CHUNK])
        _chunk(payroll, [c for c in claims if c.person_id in part], month, institution)
    agg = PayrollLine.objects.filter(payroll=payroll).aggregate(n=Count("id"), t=Sum("amount_fen"))
    Payroll.objects.filter(pk=payroll.pk).update(line_count=agg["n"] or 0, total_fen=agg["t"] or 0,
                                                 total_count=agg["n"] or 0, done_count=agg["n"] or 0,
                                                 gen_state=GenerationState.DONE)
    payroll.refresh_from_db()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=payroll, region_code=region.code,
                 changes={"medical_claims": len(claims), "total_fen": payroll.total_fen,
                          "institution": institution.pk if institution else None})
    return payroll


@transaction.atomic
def medical_payroll(*, actor: User, region_code: str, month: dt.date) -> Payroll:
    """Put every approved, unpaid claim of the jurisdiction paid to the person on its medical payroll for
    ``month`` (a draft)."""
    region = _region(actor, region_code)
    month = month.replace(day=1)
    payroll, _created = Payroll.objects.select_for_update().get_or_create(
        region=region, program=Program.MEDICAL, month=month, batch=1, institution=None,
        defaults={"created_by": actor, "gen_state": GenerationState.DONE})
    return _fill(actor, payroll, region, month, None)


@transaction.atomic
def medical_settlement(*, actor: User, region_code: str, institution: PayeeInstitution | int,
                       month: dt.date) -> Payroll:
    """一站式结算: the month's settlement payroll of ``institution`` in the jurisdiction — every approved, unpaid
    claim settled to it — paid to the institution's account through the same review, approval and bank file."""
    region = _region(actor, region_code)
    inst = PayeeInstitution.objects.restrict(actor, Action.VIEW).filter(pk=getattr(institution, "pk", institution)
                                                                         ).first()
    if inst is None:
        raise NotFoundOrForbidden(_("未找到该医疗机构，或不在您的辖区内"))
    if not inst.account_confirmed:
        # Money goes into this account: one person's registration is not enough (issue 9). The claims stay approved
        # and unpaid, and the next settlement after the confirmation takes them.
        raise ClaimError(
            _("“%(i)s”的收款账户尚未经另一名工作人员复核确认，暂不能列入结算名册；请先在收款机构页面复核账户")
            % {"i": inst.name}, code=Code.INSTITUTION_UNCONFIRMED)
    month = month.replace(day=1)
    payroll, _created = Payroll.objects.select_for_update().get_or_create(
        region=region, program=Program.MEDICAL, month=month, batch=1, institution=inst,
        defaults={"created_by": actor, "gen_state": GenerationState.DONE})
    return _fill(actor, payroll, region, month, inst)
