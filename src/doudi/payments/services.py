"""Writes for payroll, funds, price linkage and passbook agreements. Each change and its audit row share one
transaction; the status of a payroll moves only through ``payroll_transition`` (an explicit table)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import IllegalTransition, NotFoundOrForbidden, PermissionDenied
from doudi.core.money import format_yuan
from doudi.payments.choices import PAYROLL_PROGRAMS, FundUse, GenerationState, LineStatus, PayrollStatus
from doudi.payments.errors import Code
from doudi.payments.flags import current_account
from doudi.payments.generation import PayrollError
from doudi.payments.models import (
    Allocation,
    FundSource,
    OneOffSubsidy,
    PassbookAgreement,
    Payroll,
    PayrollLine,
    PriceIndex,
)
from doudi.regions.models import Region
from doudi.registry.models import Household

if TYPE_CHECKING:
    from doudi.accounts.models import User

S = PayrollStatus
# (from, to) → (required action, label). Approval is the maker-checker step; export and reconcile happen in
# bankfiles.py through the same function.
TRANSITIONS = {
    (S.DRAFT, S.REVIEWED): Action.DECIDE,
    (S.REVIEWED, S.DRAFT): Action.DECIDE,
    (S.REVIEWED, S.APPROVED): Action.DECIDE,
    (S.APPROVED, S.EXPORTED): Action.EXPORT,
    (S.EXPORTED, S.RECONCILED): Action.IMPORT,
}


def month_start(value: dt.date | str) -> dt.date:
    """The first day of the month of ``value`` (a date or ``YYYY-MM[...]``); ValueError if it is not one."""
    if isinstance(value, str):
        y, m = value[:7].split("-")
        return dt.date(int(y), int(m), 1)
    return value.replace(day=1)


def _scoped_region(actor: User, code: str, action: str, *, system: bool = False) -> Region:
    """Fails closed; ``system`` (the operator on the server, CLI without a web user) skips only the grant check."""
    region = Region.objects.filter(pk=code).first()
    if region is None or not (system or allows(actor, action, region.code)):
        raise NotFoundOrForbidden(_("未找到该辖区，或不在您的辖区内"))
    return region


def payroll_get_for_update(actor: User, *, pk: int, action: str) -> Payroll:
    payroll = Payroll.objects.restrict(actor, action).select_for_update().filter(pk=pk).first()
    if payroll is None:
        raise NotFoundOrForbidden(_("未找到该发放名册，或不在您的辖区内"))
    return payroll


def payroll_create(*, actor: User, region_code: str, program: str, month: dt.date | str) -> Payroll:
    """Create the month's payroll (batch 1) or return the existing one. ``actor`` None = the server operator
    (``doudi payroll generate`` without ``--user``), audited as "system"."""
    region = _scoped_region(actor, region_code, Action.CHANGE, system=actor is None)
    if region.level not in ("county", "township"):
        raise PayrollError(_("发放名册按县（市、区）或乡镇（街道）编制"), code=Code.BAD_LEVEL)
    if program not in PAYROLL_PROGRAMS:
        raise PayrollError(_("该救助项目不按月发放"), code=Code.BAD_PROGRAM)
    month = month_start(month)
    with transaction.atomic():
        payroll, created = Payroll.objects.get_or_create(
            region=region, program=program, month=month, batch=1, institution=None, defaults={"created_by": actor})
        if created:
            audit_record(actor=actor, action=AuditAction.CREATE, obj=payroll, region_code=region.code,
                         changes={"program": program, "month": month.isoformat()})
    return payroll


def _check_separation(actor: User, payroll: Payroll, to: str) -> None:
    """Maker-checker: maker ≠ reviewer ≠ approver (issue 9)."""
    if to == S.REVIEWED and payroll.created_by_id == actor.pk:
        raise PermissionDenied(_("制单人不能审核自己编制的名册，须由另一名工作人员审核"), code=Code.MAKER_CHECKER)
    if to == S.APPROVED and payroll.created_by_id == actor.pk:
        raise PermissionDenied(_("制单人不能审批自己编制的名册"), code=Code.MAKER_CHECKER)
    if to == S.APPROVED and payroll.reviewed_by_id == actor.pk:
        raise PermissionDenied(_("审核人不能再审批同一名册，须由第三人审批"), code=Code.MAKER_CHECKER)


def payroll_for_change(*, actor: User, payroll_id: int) -> Payroll:
    """A payroll the actor may work on (generate, reset): read-only roles that see it are refused with 403."""
    payroll = Payroll.objects.restrict(actor, Action.CHANGE).filter(pk=payroll_id).first()
    if payroll is not None:
        return payroll
    if Payroll.objects.restrict(actor, Action.VIEW).filter(pk=payroll_id).exists():
        raise PermissionDenied(_("您的角色只能查看，不能编制或生成名册"))
    raise NotFoundOrForbidden(_("未找到该发放名册，或不在您的辖区内"))


def payroll_transition(*, actor: User, payroll_id: int, to: str, reason: str = "") -> Payroll:
    with transaction.atomic():
        payroll = payroll_get_for_update(actor, pk=payroll_id, action=Action.VIEW)
        action = TRANSITIONS.get((payroll.status, to))
        if action is None:
            raise IllegalTransition(_("名册状态“%(a)s”不能变为“%(b)s”") % {
                "a": payroll.get_status_display(), "b": S(to).label})
        if not Payroll.objects.restrict(actor, action).filter(pk=payroll.pk).exists():
            raise PermissionDenied(_("您没有此操作的权限"))
        if to == S.REVIEWED and payroll.gen_state != GenerationState.DONE:
            raise PayrollError(_("名册尚未生成完毕（%(d)s/%(t)s）") % {"d": payroll.done_count,
                                                                  "t": payroll.total_count}, code=Code.NOT_GENERATED)
        _check_separation(actor, payroll, to)
        if to == S.APPROVED:
            payroll.approved_by, payroll.approved_at = actor, timezone.now()
        if to == S.REVIEWED:
            payroll.reviewed_by = actor
        if to == S.EXPORTED:
            payroll.exported_at = timezone.now()
        if to == S.RECONCILED:
            payroll.reconciled_at = timezone.now()
        old = payroll.status
        payroll.status = to
        payroll.save()
        audit_record(actor=actor, action=AuditAction.TRANSITION, obj=payroll, region_code=payroll.region_id,
                     changes={"status": [old, to]}, reason=reason)
    return payroll


def payroll_reset(*, actor: User, payroll_id: int) -> Payroll:
    """Throw away a draft's lines and start generation again (e.g. after a one-off decision was added)."""
    with transaction.atomic():
        payroll = payroll_get_for_update(actor, pk=payroll_id, action=Action.CHANGE)
        if payroll.status != S.DRAFT or payroll.batch != 1:
            raise PayrollError(_("只有草稿状态的月度名册可以重新生成"), code=Code.FROZEN)
        deleted, _x = PayrollLine.objects.filter(payroll=payroll).delete()
        Payroll.objects.filter(pk=payroll.pk).update(gen_state=GenerationState.PENDING, cursor=0, done_count=0,
                                                     total_count=0, line_count=0, total_fen=0)
        audit_record(actor=actor, action=AuditAction.DELETE, obj=payroll, region_code=payroll.region_id,
                     changes={"lines_deleted": deleted})
    payroll.refresh_from_db()
    return payroll


def payroll_enqueue(*, actor: User, payroll_id: int) -> str:
    """Start generation in the background (django-tasks database backend); the worker runs ``generate_payroll``."""
    payroll = payroll_for_change(actor=actor, payroll_id=payroll_id)
    from doudi.payments.tasks import generate_payroll

    result = None

    def _go():
        nonlocal result
        result = generate_payroll.enqueue(payroll_id=payroll.pk, actor_id=actor.pk)

    transaction.on_commit(_go)
    return "queued"


def reissue_failed(*, actor: User, payroll_id: int, reason: str = "") -> Payroll:
    """Put every failed, not yet re-issued line whose household account has since been fixed into a supplementary
    payroll (batch 2, 3, …) as a reissue line pointing at the failed one. The failed line stays failed, so the two
    can never both be paid; the partial unique index on ``reissue_of`` stops a second reissue."""
    with transaction.atomic():
        payroll = payroll_get_for_update(actor, pk=payroll_id, action=Action.CHANGE)
        failed = list(PayrollLine.objects.filter(payroll=payroll, status=LineStatus.FAILED, reissues__isnull=True)
                      .select_related("household", "entitlement"))
        ready = [ln for ln in failed if payee_account(ln, payroll=payroll)[1]
                 and payee_account(ln, payroll=payroll) != (ln.bank_name, ln.bank_account, ln.account_holder)]
        if not ready:
            raise PayrollError(_("没有可重发的失败记录（须先更正家庭的银行账户信息）"), code=Code.NOTHING_TO_REISSUE)
        return reissue_lines(actor=actor, payroll=payroll, lines=ready, reason=reason)


def payee_account(line: PayrollLine, *, payroll: Payroll) -> tuple[str, str, str]:
    """(bank name, account, holder) a line pays now: the settlement payroll's institution, else the line's payee
    (a care agreement's carer, else the household: ``payments.flags.current_account``)."""
    if payroll.institution_id:
        inst = payroll.institution
        if not inst.account_confirmed:  # never an account one person alone entered (payments.payees)
            return "", "", ""
        return inst.bank_name, inst.bank_account, inst.account_holder
    return current_account(line)


def reissue_lines(*, actor: User, payroll: Payroll, lines: list[PayrollLine], reason: str = "") -> Payroll:
    """Copy ``lines`` (failed, or held for a missing account) with the account each pays now (``payee_account``:
    a settlement's confirmed institution, a carer, else the household) into the month's supplementary draft
    payroll. Call inside the transaction that locked ``payroll``."""
    supp = (Payroll.objects.select_for_update()
            .filter(region_id=payroll.region_id, program=payroll.program, month=payroll.month, batch__gt=1,
                    institution=payroll.institution_id, status=S.DRAFT).first())
    if supp is None:
        last = (Payroll.objects.filter(region_id=payroll.region_id, program=payroll.program, month=payroll.month,
                                       institution=payroll.institution_id)
                .order_by("-batch").values_list("batch", flat=True).first())
        supp = Payroll.objects.create(region_id=payroll.region_id, program=payroll.program, month=payroll.month,
                                      institution_id=payroll.institution_id, batch=last + 1, created_by=actor,
                                      gen_state=GenerationState.DONE)
    n = 0
    for ln in lines:
        bank_name, bank_account, holder = payee_account(ln, payroll=payroll)
        try:
            with transaction.atomic():
                PayrollLine.objects.create(
                    payroll=supp, entitlement_id=ln.entitlement_id, household_id=ln.household_id,
                    person_id=ln.person_id, region_code=ln.region_code, program=ln.program, month=ln.month,
                    kind="reissue", amount_fen=ln.amount_fen, persons=ln.persons, standard_fen=ln.standard_fen,
                    policy_version=ln.policy_version, bank_name=bank_name, bank_account=bank_account,
                    account_holder=holder, reference=f"{ln.reference}R", reissue_of=ln,
                    # the withholding goes with the payment: recovery settles it when the reissue is paid
                    deducted_fen=ln.deducted_fen, deduction_id=ln.deduction_id)
                n += 1
        except IntegrityError:
            continue  # re-issued meanwhile by someone else
    from django.db.models import Count, Sum

    agg = supp.lines.aggregate(n=Count("id"), t=Sum("amount_fen"))
    Payroll.objects.filter(pk=supp.pk).update(line_count=agg["n"] or 0, total_fen=agg["t"] or 0,
                                              total_count=agg["n"] or 0, done_count=agg["n"] or 0)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=supp, region_code=supp.region_id,
                 changes={"reissued_lines": n, "from_payroll": payroll.pk}, reason=reason)
    supp.refresh_from_db()
    return supp


# ---- passbook agreements, funds, price linkage, one-off subsidies ----------------------------------------------

def passbook_agreement_create(*, actor: User, household_id: int, agreement_date: dt.date, file_ref: str,
                              custodian: str = "", note: str = "") -> PassbookAgreement:
    household = Household.objects.restrict(actor, Action.CHANGE).filter(pk=household_id).first()
    if household is None:
        raise NotFoundOrForbidden(_("未找到该家庭，或不在您的辖区内"))
    if not file_ref.strip():
        raise PayrollError(_("请填写备案编号"), code=Code.FILE_REF_REQUIRED, field="file_ref")
    with transaction.atomic():
        row = PassbookAgreement.objects.create(household=household, village_id=household.region_id,
                                               agreement_date=agreement_date, file_ref=file_ref.strip(),
                                               custodian=custodian, note=note, created_by=actor)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=row, region_code=household.region_id,
                     changes={"file_ref": row.file_ref, "agreement_date": agreement_date})
    return row


def fund_source_create(*, actor: User, region_code: str, year: int, level: str, amount_fen: int,
                       document: str = "") -> FundSource:
    region = _scoped_region(actor, region_code, Action.CHANGE)
    with transaction.atomic():
        row = FundSource.objects.create(region=region, year=year, level=level, amount_fen=amount_fen,
                                        document=document, created_by=actor)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=row, region_code=region.code,
                     changes={"year": year, "level": level, "amount_fen": amount_fen})
    return row


def _purchased_services_check(actor: User, source: FundSource, amount_fen: int) -> None:
    """政府购买服务 within the profile's cap ([000] 三(五)4 where the profile sets it); no cap set, no check."""
    from doudi.payments.selectors import purchased_services_cap

    cap = purchased_services_cap(actor=actor, region=source.region, year=source.year)
    if cap.cap_fen is not None and cap.purchased_fen + amount_fen > cap.cap_fen:
        text = _("政府购买服务经费将达%(total)s元，超过上限%(cap)s元（上年中央和省级补助资金的%(pct)s%%；%(src)s）")
        raise PayrollError(text % {"total": format_yuan(cap.purchased_fen + amount_fen),
                                   "cap": format_yuan(cap.cap_fen), "pct": f"{cap.cap_bp / 100:g}",
                                   "src": cap.source},
                           code=Code.OVER_PURCHASED_SERVICES_CAP, field="amount_fen")


def allocation_create(*, actor: User, source_id: int, use: str, amount_fen: int) -> Allocation:
    source = FundSource.objects.restrict(actor, Action.CHANGE).filter(pk=source_id).first()
    if source is None:
        raise NotFoundOrForbidden(_("未找到该资金来源，或不在您的辖区内"))
    from django.db.models import Sum

    with transaction.atomic():
        FundSource.objects.select_for_update().get(pk=source.pk)
        used = source.allocations.aggregate(t=Sum("amount_fen"))["t"] or 0
        if used + amount_fen > source.amount_fen:
            raise PayrollError(_("分配金额超过该资金来源的余额"), code=Code.OVER_ALLOCATED, field="amount_fen")
        if use == FundUse.PURCHASED_SERVICES:
            _purchased_services_check(actor, source, amount_fen)
        row = Allocation.objects.create(source=source, use=use, amount_fen=amount_fen, created_by=actor)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=row, region_code=source.region_id,
                     changes={"use": use, "amount_fen": amount_fen})
    return row


def price_index_record(*, actor: User, region_code: str, month, cpi_yoy_bp: int, food_cpi_yoy_bp: int,
                       source: str = "") -> PriceIndex:
    region = _scoped_region(actor, region_code, Action.CHANGE)
    with transaction.atomic():
        row, _created = PriceIndex.objects.update_or_create(
            region=region, month=month_start(month),
            defaults={"cpi_yoy_bp": cpi_yoy_bp, "food_cpi_yoy_bp": food_cpi_yoy_bp, "source": source,
                      "created_by": actor})
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=row, region_code=region.code,
                     changes={"cpi_yoy_bp": cpi_yoy_bp, "food_cpi_yoy_bp": food_cpi_yoy_bp})
    return row


def one_off_create(*, actor: User, region_code: str, program: str, month, per_person_fen: int,
                   decision_ref: str) -> OneOffSubsidy:
    region = _scoped_region(actor, region_code, Action.DECIDE)
    if per_person_fen <= 0:
        raise PayrollError(_("每人金额须大于零"), code=Code.BAD_AMOUNT, field="per_person_fen")
    with transaction.atomic():
        if OneOffSubsidy.objects.filter(region=region, program=program, month=month_start(month)).exists():
            raise PayrollError(_("该辖区本月该项目已有一次性补助决定"), code=Code.DUPLICATE)
        row = OneOffSubsidy.objects.create(region=region, program=program, month=month_start(month),
                                           per_person_fen=per_person_fen, decision_ref=decision_ref,
                                           created_by=actor)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=row, region_code=region.code,
                     changes={"per_person_fen": per_person_fen, "decision_ref": decision_ref})
    return row
