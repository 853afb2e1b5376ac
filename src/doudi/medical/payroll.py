"""Approved medical-assistance claims paid through the payroll machinery: one ``payments.Payroll`` of program
``medical`` per jurisdiction and month; one line per person (the sum of their approved claims not yet paid) on a
per-person medical ``Entitlement`` that carries no monthly amount. The payroll is then reviewed, approved, exported
to the bank and reconciled like every other (``payments.services.payroll_transition``, ``bankfiles``)."""

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
from doudi.medical.choices import ClaimStatus
from doudi.medical.errors import Code
from doudi.medical.models import MedicalClaim
from doudi.medical.services import ClaimError
from doudi.payments.choices import GenerationState, LineKind, PayrollStatus
from doudi.payments.models import Payroll, PayrollLine
from doudi.regions.models import Region

if TYPE_CHECKING:
    from doudi.accounts.models import User


def _entitlement(claim: MedicalClaim, month: dt.date) -> Entitlement:
    ent = Entitlement.objects.filter(household_id=claim.household_id, person_id=claim.person_id,
                                     program=Program.MEDICAL).first()
    if ent is None:  # a carrier for the person's medical payments: no monthly amount, never "live"
        ent = Entitlement.objects.create(household_id=claim.household_id, person_id=claim.person_id,
                                         program=Program.MEDICAL, monthly_fen=0, start_month=month,
                                         end_month=month, status=EntitlementStatus.ENDED)
    return ent


@transaction.atomic
def medical_payroll(*, actor: User, region_code: str, month: dt.date) -> Payroll:
    """Put every approved, unpaid claim of the jurisdiction on its medical payroll for ``month`` (a draft)."""
    region = Region.objects.filter(pk=region_code).first()
    if region is None or not allows(actor, Action.CHANGE, region.code):
        raise NotFoundOrForbidden(_("未找到该区划，或不在您的辖区内"))
    if region.level not in ("county", "township"):
        raise ClaimError(_("发放名册按县（市、区）或乡镇（街道）编制"), code=Code.BAD_LEVEL)
    month = month.replace(day=1)
    payroll, _created = Payroll.objects.select_for_update().get_or_create(
        region=region, program=Program.MEDICAL, month=month, batch=1,
        defaults={"created_by": actor, "gen_state": GenerationState.DONE})
    if payroll.status != PayrollStatus.DRAFT:
        raise ClaimError(_("%(m)s医疗救助名册已审核，新审批的结算列入下月名册") % {"m": f"{month:%Y年%m月}"},
                         code=Code.FROZEN)
    claims = list(MedicalClaim.objects.select_for_update().filter(
        status=ClaimStatus.APPROVED, payroll_line__isnull=True, household__region__code__startswith=region.prefix)
        .select_related("household").order_by("person_id", "claim_date", "id"))
    by_person: dict[int, list[MedicalClaim]] = defaultdict(list)
    for c in claims:
        by_person[c.person_id].append(c)
    for group in by_person.values():
        first = group[0]
        ent = _entitlement(first, month)
        h = first.household
        line, _new = PayrollLine.objects.get_or_create(
            entitlement=ent, month=month, kind=LineKind.REGULAR,
            defaults={"payroll": payroll, "household": h, "person_id": first.person_id, "region_code": h.region_id,
                      "program": Program.MEDICAL, "amount_fen": 0, "persons": 1, "bank_name": h.bank_name,
                      "bank_account": h.bank_account, "account_holder": h.account_holder,
                      "reference": f"{month:%Y%m}Y{ent.pk:010d}"})
        if line.payroll_id != payroll.pk or line.status != "pending":
            raise ClaimError(_("该人员本月医疗救助已列入其他名册"), code=Code.ALREADY_ON_PAYROLL)
        line.amount_fen += sum(c.payable_fen for c in group)
        line.save(update_fields=["amount_fen"])
        MedicalClaim.objects.filter(pk__in=[c.pk for c in group]).update(payroll_line=line, status=ClaimStatus.PAID)
    agg = PayrollLine.objects.filter(payroll=payroll).aggregate(n=Count("id"), t=Sum("amount_fen"))
    Payroll.objects.filter(pk=payroll.pk).update(line_count=agg["n"] or 0, total_fen=agg["t"] or 0,
                                                 gen_state=GenerationState.DONE)
    payroll.refresh_from_db()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=payroll, region_code=region.code,
                 changes={"medical_claims": len(claims), "total_fen": payroll.total_fen})
    return payroll
