"""Care agreements (照料服务协议) for dispersed 特困 persons: sign → approve (a second person) → paid monthly by the
payroll → warned → ended, and a new carer assigned ([002] 二(二): 对未按协议履行职责、特困人员生活质量明显较低的，
应当及时终止协议并更换照料服务人).

The fee is paid through the existing payroll to the carer's own account (the entitlement's payee), not to the
household: approval creates a ``care_fee`` entitlement for the person at the agreed monthly amount (no basis, so the
payroll pays it as agreed) with the carer as payee; ending the agreement ends that entitlement with
the month it ends in, which the payroll still pays (payments.amounts: ended entitlements are paid through
``end_month``).

The carer's account is money's destination, so it never rests on one person (issue 9): it is entered with the
agreement and reaches the entitlement only when a second person approves the agreement; an agreement, once signed,
has no way to change its account — a new carer or a new account is a new agreement (``carer_replace``), approved
by a second person like the first.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, snapshot
from doudi.benefits.choices import EntitlementStatus, Program
from doudi.benefits.models import Entitlement
from doudi.care.choices import AgreementStatus, CarerKind, EndReason, SupportMode
from doudi.care.errors import CareError, Code
from doudi.care.models import CareAgreement, CareWarning, SupportArrangement
from doudi.care.services.common import month_start
from doudi.core.errors import NotFoundOrForbidden

if TYPE_CHECKING:
    from doudi.accounts.models import User

S = AgreementStatus
OPEN = (S.DRAFT, S.ACTIVE, S.WARNED)


@dataclass(frozen=True)
class AgreementTerms:
    carer_kind: str
    carer_name: str
    duties: str
    visits_per_month: int
    monthly_fee_fen: int
    start_date: dt.date
    end_date: dt.date | None = None
    carer_phone: str = ""
    carer_bank_name: str = ""
    carer_bank_account: str = ""


def _check_terms(t: AgreementTerms) -> None:
    if t.carer_kind not in CarerKind.values:
        raise CareError(_("请选择照料人类别"), code=Code.REQUIRED, field="carer_kind")
    if not t.carer_name.strip():
        raise CareError(_("请填写照料人（机构）名称"), code=Code.REQUIRED, field="carer_name")
    if not t.duties.strip():
        raise CareError(_("请写明照料职责"), code=Code.REQUIRED, field="duties")
    if t.visits_per_month < 1:
        raise CareError(_("每月上门照料次数至少为 1 次"), code=Code.REQUIRED, field="visits_per_month")
    if t.monthly_fee_fen < 0:
        raise CareError(_("照料护理费不能为负数"), code=Code.BAD_AMOUNT, field="monthly_fee")
    if t.monthly_fee_fen > 0 and not (t.carer_bank_name.strip() and t.carer_bank_account.strip()):
        raise CareError(_("照料护理费发放到照料人（机构）的账户，请填写照料人开户行和银行账号"), code=Code.REQUIRED,
                        field="carer_bank_account")
    account = t.carer_bank_account.strip()
    if account and not (account.isdigit() and 8 <= len(account) <= 30):
        raise CareError(_("照料人银行账号应为 8–30 位数字"), code=Code.BAD_AMOUNT, field="carer_bank_account")
    if t.end_date is not None and t.end_date < t.start_date:
        raise CareError(_("协议终止日期不能早于起始日期"), code=Code.BAD_DATE, field="end_date")


def _lock(actor: User, agreement: CareAgreement | int, action: str) -> CareAgreement:
    pk = getattr(agreement, "pk", agreement)
    found = CareAgreement.objects.restrict(actor, action).select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该照料服务协议，或不在您的辖区内"))
    return found


@transaction.atomic
def agreement_sign(*, actor: User, arrangement: SupportArrangement | int, terms: AgreementTerms,
                   replaces: CareAgreement | None = None) -> CareAgreement:
    """The caseworker records a signed agreement; it waits for a second person's approval before anything is paid."""
    pk = getattr(arrangement, "pk", arrangement)
    found = SupportArrangement.objects.restrict(actor, Action.CHANGE).select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该供养安排，或不在您的辖区内"))
    if found.mode != SupportMode.DISPERSED or found.end_date is not None:
        raise CareError(_("只有在执行的分散供养安排才签订照料服务协议"), code=Code.NOT_DISPERSED)
    _check_terms(terms)
    if found.agreements.filter(status__in=OPEN).exclude(pk=getattr(replaces, "pk", None)).exists():
        raise CareError(_("该特困人员已有未终止的照料服务协议，请先终止原协议或办理更换照料人"),
                        code=Code.OPEN_AGREEMENT)
    agreement = CareAgreement.objects.create(
        arrangement=found, region_id=found.region_id, carer_kind=terms.carer_kind,
        carer_name=terms.carer_name.strip()[:100], carer_phone=terms.carer_phone.strip()[:20],
        carer_bank_name=terms.carer_bank_name.strip()[:100], carer_bank_account=terms.carer_bank_account.strip(),
        duties=terms.duties.strip(), visits_per_month=terms.visits_per_month, monthly_fee_fen=terms.monthly_fee_fen,
        start_date=terms.start_date, end_date=terms.end_date, replaces=replaces, signed_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=agreement, region_code=agreement.region_id,
                 changes=snapshot(agreement))
    return agreement


@transaction.atomic
def agreement_approve(*, actor: User, agreement: CareAgreement | int) -> CareAgreement:
    """A second person approves: the agreement takes effect and the care fee enters the payroll from its first
    month (maker-checker: money needs two people)."""
    found = _lock(actor, agreement, Action.DECIDE)
    if found.status != S.DRAFT:
        raise CareError(_("该协议不在待审核状态"), code=Code.BAD_STATE)
    # The carer's account on this agreement becomes the fee's payee on approval: whoever entered it (and so its
    # account) never approves it. A signer no longer on record cannot be told apart from the approver: refused too
    # (fail closed), the agreement is signed again.
    if found.signed_by_id is None or found.signed_by_id == actor.pk:
        raise CareError(_("签订人不能审核自己录入的协议，请由另一名经办人员审核"), code=Code.SAME_PERSON)
    arrangement = found.arrangement
    entitlement = None
    start_month = month_start(found.start_date)
    prior = found.replaces.entitlement if found.replaces_id and found.replaces.entitlement_id else None
    if prior is not None and prior.end_month is not None and prior.end_month >= start_month:
        # The old carer is paid through the month their agreement ended; the new carer from the next month.
        start_month = (prior.end_month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    if found.monthly_fee_fen > 0:
        entitlement = Entitlement.objects.create(
            household_id=arrangement.household_id, person_id=arrangement.person_id, program=Program.CARE_FEE,
            status=EntitlementStatus.ACTIVE, monthly_fen=found.monthly_fee_fen, covered_members=1,
            start_month=start_month,
            end_month=month_start(found.end_date) if found.end_date else None,
            # paid to the carer, for the 特困 person (``person``): the payroll line carries both
            payee_name=found.carer_name[:50], payee_bank_name=found.carer_bank_name,
            payee_bank_account=found.carer_bank_account)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=entitlement, region_code=found.region_id,
                     changes=snapshot(entitlement))
    found.status, found.entitlement = S.ACTIVE, entitlement
    found.approved_by, found.approved_at = actor, timezone.now()
    found.save(update_fields=["status", "entitlement", "approved_by", "approved_at"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=found, region_code=found.region_id,
                 changes={"status": [S.DRAFT, S.ACTIVE], "entitlement": getattr(entitlement, "pk", None)})
    return found


@transaction.atomic
def agreement_warn(*, actor: User, agreement: CareAgreement | int, reason: str, warned_on: dt.date | None = None
                   ) -> CareWarning:
    found = _lock(actor, agreement, Action.CHANGE)
    if found.status not in (S.ACTIVE, S.WARNED):
        raise CareError(_("只能对履行中的协议发出警告"), code=Code.BAD_STATE)
    if not reason.strip():
        raise CareError(_("请写明警告事由"), code=Code.REQUIRED, field="reason")
    warning = CareWarning.objects.create(agreement=found, warned_on=warned_on or timezone.localdate(),
                                         reason=reason.strip()[:300], actor=actor)
    old, found.status = found.status, S.WARNED
    found.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=found, region_code=found.region_id,
                 changes={"status": [old, S.WARNED]}, reason=reason)
    return warning


@transaction.atomic
def agreement_end(*, actor: User, agreement: CareAgreement | int, ended_on: dt.date, reason: str,
                  note: str = "") -> CareAgreement:
    """End the agreement (township decision). The fee is paid through the month it ends in, then stops."""
    found = _lock(actor, agreement, Action.DECIDE)
    if found.status not in OPEN:
        raise CareError(_("该协议已终止"), code=Code.BAD_STATE)
    if reason not in EndReason.values:
        raise CareError(_("请选择终止原因"), code=Code.REQUIRED, field="reason")
    if reason in (EndReason.FAILED, EndReason.OTHER) and not note.strip():
        raise CareError(_("因未履行职责或其他原因终止的，须写明情况"), code=Code.REQUIRED, field="note")
    if ended_on < found.start_date:
        raise CareError(_("终止日期不能早于协议起始日期"), code=Code.BAD_DATE, field="ended_on")
    old = found.status
    found.status, found.ended_on, found.end_reason, found.end_note = S.ENDED, ended_on, reason, note.strip()[:300]
    found.save(update_fields=["status", "ended_on", "end_reason", "end_note"])
    if found.entitlement_id:
        ent = Entitlement.objects.select_for_update().get(pk=found.entitlement_id)
        ent.status, ent.end_month = EntitlementStatus.ENDED, month_start(ended_on)
        ent.save(update_fields=["status", "end_month"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=ent, region_code=found.region_id,
                     changes={"status": [EntitlementStatus.ACTIVE, EntitlementStatus.ENDED],
                              "end_month": ent.end_month.isoformat()}, reason=reason)
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=found, region_code=found.region_id,
                 changes={"status": [old, S.ENDED], "end_reason": reason}, reason=note)
    return found


@transaction.atomic
def carer_replace(*, actor: User, agreement: CareAgreement | int, ended_on: dt.date, reason: str, note: str,
                  terms: AgreementTerms) -> CareAgreement:
    """End a failing carer's agreement and sign one with a new carer from the next day; the new one is approved
    like any other before its fee is paid."""
    old = agreement_end(actor=actor, agreement=agreement, ended_on=ended_on, reason=reason, note=note)
    if terms.start_date <= ended_on:
        raise CareError(_("新协议须从原协议终止次日或之后开始"), code=Code.BAD_DATE, field="start_date")
    return agreement_sign(actor=actor, arrangement=old.arrangement_id, terms=terms, replaces=old)
