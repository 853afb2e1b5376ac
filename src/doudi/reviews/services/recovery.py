"""Overpayment recovery (追回, S5 §5(5)) and the fraud fine (S3 Art 68: 1倍以上3倍以下的罚款).

The amount is what the payroll actually paid for months on or after the first month that should not have been
paid, less what was due for those months (0 when the benefit should have stopped altogether).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.benefits.models import Entitlement
from doudi.core.errors import NotFoundOrForbidden
from doudi.core.money import format_yuan
from doudi.payments.choices import LineStatus, PayrollStatus
from doudi.payments.models import PayrollLine
from doudi.reviews.choices import OverpaymentReason, OverpaymentStatus, RecoveryMethod
from doudi.reviews.errors import Code, ReviewError
from doudi.reviews.models import Overpayment, Recovery, ReviewTask
from doudi.reviews.schedule import add_months

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from doudi.accounts.models import User

FINE_MIN, FINE_MAX = 1, 3  # S3 Art 68


def paid_lines(entitlement_id: int, *, from_month: dt.date) -> QuerySet[PayrollLine]:
    """Lines that paid money for this entitlement for ``from_month`` or later: confirmed by the bank (paid), or sent
    to the bank with no return yet (exported/reconciled payroll, still pending). Failed lines paid nothing."""
    sent = Q(status=LineStatus.PENDING, payroll__status__in=[PayrollStatus.EXPORTED, PayrollStatus.RECONCILED])
    return (PayrollLine.objects.filter(entitlement_id=entitlement_id, month__gte=from_month)
            .filter(Q(status=LineStatus.PAID) | sent).order_by("month", "id"))


def first_unpaid_month(entitlement: Entitlement, *, reason: str, should_stop_on: dt.date) -> dt.date:
    """The first month that should not have been paid. A person's own benefit is not paid for the month of their
    death (docs/payroll.md); any other stop takes effect from the month after (S1 Art 21 by analogy)."""
    if reason == OverpaymentReason.DEATH and entitlement.person_id:
        return should_stop_on.replace(day=1)
    return add_months(should_stop_on.replace(day=1), 1)


def overpayment_preview(entitlement: Entitlement, *, from_month: dt.date, due_monthly_fen: int = 0) -> dict:
    per_month: dict[dt.date, int] = defaultdict(int)
    ids: list[int] = []
    for line in paid_lines(entitlement.pk, from_month=from_month):
        per_month[line.month] += line.amount_fen
        ids.append(line.pk)
    over = {m: max(0, paid - due_monthly_fen) for m, paid in per_month.items()}
    months = sorted(m for m, v in over.items() if v > 0)
    return {"months": months, "amount_fen": sum(over.values()), "line_ids": ids}


def _entitlement_for_change(actor: User, entitlement) -> Entitlement:
    ent = Entitlement.objects.restrict(actor, Action.CHANGE).filter(pk=getattr(entitlement, "pk", entitlement)).first()
    if ent is None:
        raise NotFoundOrForbidden(_("未找到该救助待遇，或不在您的辖区内"))
    return ent


@transaction.atomic
def overpayment_create(*, actor: User, entitlement: Entitlement | int, reason: str, should_stop_on: dt.date,
                       due_monthly_fen: int = 0, from_month: dt.date | None = None,
                       review: ReviewTask | None = None, note: str = "") -> Overpayment:
    """Open the ledger for money paid after the benefit should have stopped. Idempotent per (entitlement, first
    month): recording the same finding twice returns the first ledger."""
    ent = _entitlement_for_change(actor, entitlement)
    if reason not in OverpaymentReason.values:
        raise ReviewError(_("请选择多发原因"), code=Code.INVALID_REASON, field="reason")
    if due_monthly_fen < 0:
        raise ReviewError(_("应发金额不能为负数"), code=Code.INVALID_AMOUNT, field="due_monthly_fen")
    from_month = (from_month or first_unpaid_month(ent, reason=reason, should_stop_on=should_stop_on)).replace(day=1)
    existing = Overpayment.objects.filter(entitlement=ent, from_month=from_month).first()
    if existing is not None:
        return existing
    preview = overpayment_preview(ent, from_month=from_month, due_monthly_fen=due_monthly_fen)
    if preview["amount_fen"] <= 0:
        raise ReviewError(_("%(m)s以后没有多发的救助金") % {"m": f"{from_month:%Y年%m月}"}, code=Code.NOTHING_OVERPAID)
    row = Overpayment.objects.create(
        household_id=ent.household_id, entitlement=ent, review=review, reason=reason, should_stop_on=should_stop_on,
        from_month=from_month, months=[f"{m:%Y-%m}" for m in preview["months"]], line_ids=preview["line_ids"],
        due_monthly_fen=due_monthly_fen, amount_fen=preview["amount_fen"], note=note[:300], created_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, region_code=ent.household.region_id,
                 changes={"amount_fen": row.amount_fen, "months": row.months, "reason": reason}, reason=note)
    return row


def _lock(actor: User, overpayment, action: str) -> Overpayment:
    pk = getattr(overpayment, "pk", overpayment)
    if not Overpayment.objects.restrict(actor, action).filter(pk=pk).exists():
        raise NotFoundOrForbidden(_("未找到该追回台账，或不在您的辖区内"))
    return Overpayment.objects.select_for_update().select_related("household").get(pk=pk)


@transaction.atomic
def recovery_record(*, actor: User, overpayment: Overpayment | int, amount_fen: int, received_on: dt.date,
                    method: str, note: str = "") -> Recovery:
    op = _lock(actor, overpayment, Action.CHANGE)
    if op.status in (OverpaymentStatus.RECOVERED, OverpaymentStatus.WAIVED):
        raise ReviewError(_("该台账已结清"), code=Code.OVERPAYMENT_CLOSED)
    if method not in RecoveryMethod.values:
        raise ReviewError(_("请选择追回方式"), code=Code.INVALID_METHOD, field="method")
    if method == RecoveryMethod.DEDUCTION:
        # withheld by the payroll, booked by ``deduction_settle`` — never recorded by hand as if received
        raise ReviewError(_("从后续救助金中扣回由发放名册执行，请使用“安排扣回”"), code=Code.DEDUCTION_BY_PAYROLL,
                          field="method")
    if amount_fen <= 0:
        raise ReviewError(_("追回金额须大于零"), code=Code.INVALID_AMOUNT, field="amount_fen")
    if amount_fen > op.balance_fen:
        raise ReviewError(_("追回金额超过未追回余额%(b)s元") % {"b": format_yuan(op.balance_fen)},
                          code=Code.OVER_BALANCE, field="amount_fen")
    if received_on > timezone.localdate():
        raise ReviewError(_("追回日期不能晚于今天"), code=Code.FUTURE_DATE, field="received_on")
    rec = Recovery.objects.create(overpayment=op, amount_fen=amount_fen, received_on=received_on, method=method,
                                  note=note[:200], recorded_by=actor)
    op.recovered_fen += amount_fen
    op.status = OverpaymentStatus.RECOVERED if op.recovered_fen >= op.amount_fen else OverpaymentStatus.PARTIAL
    op.save(update_fields=["recovered_fen", "status"])
    _close_deductions(actor, op, _("已追回完毕"))
    audit_record(actor=actor, action=AuditAction.CREATE, obj=rec, region_code=op.household.region_id,
                 changes={"amount_fen": amount_fen, "method": method, "balance_fen": op.balance_fen}, reason=note)
    return rec


@transaction.atomic
def overpayment_waive(*, actor: User, overpayment: Overpayment | int, reason: str) -> Overpayment:
    """核销: only someone who may decide for that village (``decide``) approves it, with a written reason."""
    op = _lock(actor, overpayment, Action.VIEW)
    if not allows(actor, Action.DECIDE, op.household.region_id):
        raise NotFoundOrForbidden(_("未找到该追回台账，或不在您的辖区内"))
    if op.status in (OverpaymentStatus.RECOVERED, OverpaymentStatus.WAIVED):
        raise ReviewError(_("该台账已结清"), code=Code.OVERPAYMENT_CLOSED)
    if not reason.strip():
        raise ReviewError(_("核销须写明理由"), code=Code.REASON_REQUIRED, field="reason")
    before = op.balance_fen
    op.status = OverpaymentStatus.WAIVED
    op.waiver_reason = reason.strip()[:300]
    op.waiver_approved_by = actor
    op.waived_on = timezone.localdate()
    op.save(update_fields=["status", "waiver_reason", "waiver_approved_by", "waived_on"])
    _close_deductions(actor, op, _("核销：%(r)s") % {"r": op.waiver_reason})
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=op, region_code=op.household.region_id,
                 changes={"status": "waived", "waived_fen": before}, reason=reason)
    return op


@transaction.atomic
def fine_record(*, actor: User, overpayment: Overpayment | int, fine_fen: int, decision_ref: str,
                decided_on: dt.date) -> Overpayment:
    """罚款 (S3 Art 68): between 1 and 3 times the amount obtained, recorded separately from the repayment."""
    op = _lock(actor, overpayment, Action.VIEW)
    if not allows(actor, Action.DECIDE, op.household.region_id):
        raise NotFoundOrForbidden(_("未找到该追回台账，或不在您的辖区内"))
    if not decision_ref.strip():
        raise ReviewError(_("请填写处罚决定书文号"), code=Code.DECISION_REF_REQUIRED, field="decision_ref")
    low, high = FINE_MIN * op.amount_fen, FINE_MAX * op.amount_fen
    if not low <= fine_fen <= high:
        raise ReviewError(_("罚款金额须在骗取金额的1倍至3倍之间（%(lo)s–%(hi)s元）") % {
            "lo": format_yuan(low), "hi": format_yuan(high)}, code=Code.FINE_OUT_OF_RANGE, field="fine_fen")
    op.fine_fen, op.fine_decision_ref, op.fine_decided_on = fine_fen, decision_ref.strip()[:60], decided_on
    op.save(update_fields=["fine_fen", "fine_decision_ref", "fine_decided_on"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=op, region_code=op.household.region_id,
                 changes={"fine_fen": fine_fen, "fine_decision_ref": op.fine_decision_ref, "decided_on": decided_on})
    return op


def _deduction_source(op: Overpayment) -> str:
    return f"追回台账#{op.pk}"


def _close_deductions(actor, op: Overpayment, reason: str) -> None:
    """A closed ledger (recovered or waived) withholds nothing more: its open deductions are cancelled."""
    if op.status not in (OverpaymentStatus.RECOVERED, OverpaymentStatus.WAIVED):
        return
    from doudi.payments.deductions import deductions_close

    deductions_close(actor=actor, source=_deduction_source(op), reason=reason)


def ledger_deductions(op: Overpayment) -> list:
    """The ledger's deductions with what is left of each (for its page)."""
    from doudi.payments.deductions import remaining
    from doudi.payments.models import Deduction

    rows = list(Deduction.objects.filter(source=_deduction_source(op)).select_related("cancelled_by")
                .order_by("created_at", "id"))
    for d in rows:
        d.left_fen = remaining(d)
    return rows


@transaction.atomic
def recovery_by_deduction(*, actor: User, overpayment: Overpayment | int, monthly_max_fen: int) -> Overpayment:
    """从后续救助金中扣回: the payroll withholds the balance from the household's live benefit, at most
    ``monthly_max_fen`` a month (``payments.deductions``); ``deduction_settle`` books what it has withheld."""
    from doudi.benefits.selectors import LIVE
    from doudi.payments.deductions import DeductionError, deduction_schedule

    op = _lock(actor, overpayment, Action.CHANGE)
    if op.status in (OverpaymentStatus.RECOVERED, OverpaymentStatus.WAIVED):
        raise ReviewError(_("该台账已结清"), code=Code.OVERPAYMENT_CLOSED)
    ent = (Entitlement.objects.filter(household_id=op.household_id, status__in=LIVE)
           .filter(Q(end_month__isnull=True) | Q(end_month__gte=timezone.localdate().replace(day=1)))
           .order_by("-start_month", "id").first())
    if ent is None:
        raise ReviewError(_("该户已无在发的救助待遇，不能从后续救助金中扣回"), code=Code.NOTHING_TO_DEDUCT_FROM)
    try:
        deduction_schedule(actor=actor, entitlement=ent, amount_fen=op.balance_fen, monthly_max_fen=monthly_max_fen,
                           source=_deduction_source(op))
    except DeductionError as exc:
        raise ReviewError(exc.message, code=exc.code, field=exc.field) from exc
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=op, region_code=op.household.region_id,
                 changes={"deduction_fen": op.balance_fen, "monthly_max_fen": monthly_max_fen, "entitlement": ent.pk})
    return op


@transaction.atomic
def deduction_settle(*, actor: User, overpayment: Overpayment | int) -> Overpayment:
    """Book as recovered what the payroll has withheld on paid lines since the last settlement (idempotent)."""
    from django.db.models import Sum

    op = _lock(actor, overpayment, Action.CHANGE)
    withheld = (PayrollLine.objects.filter(deduction__source=_deduction_source(op), status=LineStatus.PAID)
                .aggregate(t=Sum("deducted_fen"))["t"] or 0)
    booked = op.recoveries.filter(method=RecoveryMethod.DEDUCTION).aggregate(t=Sum("amount_fen"))["t"] or 0
    new = min(withheld - booked, op.balance_fen)
    if new > 0:
        Recovery.objects.create(overpayment=op, amount_fen=new, received_on=timezone.localdate(),
                                method=RecoveryMethod.DEDUCTION, note=_("发放名册扣回"), recorded_by=actor)
        op.recovered_fen += new
        op.status = OverpaymentStatus.RECOVERED if op.recovered_fen >= op.amount_fen else OverpaymentStatus.PARTIAL
        op.save(update_fields=["recovered_fen", "status"])
        _close_deductions(actor, op, _("已追回完毕"))
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=op, region_code=op.household.region_id,
                     changes={"deducted_fen": new, "balance_fen": op.balance_fen})
    return op
