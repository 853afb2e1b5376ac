"""Recovery deductions applied by the payroll (扣回, S5 §5(5)): each month's benefit line of an entitlement with an
open ``Deduction`` pays its amount less what is withheld (at most the deduction's monthly maximum and what is left
of it, never more than the line). Applied inside the chunk's transaction with the deductions locked, so a rerun or
a concurrent payroll never withholds twice."""

from __future__ import annotations

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
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.payments.choices import BASE_KINDS
from doudi.payments.errors import Code
from doudi.payments.models import Deduction, PayrollLine

if TYPE_CHECKING:
    from doudi.accounts.models import User

C = pl.col


class DeductionError(DomainError):
    code = "deduction_error"


def _withheld(deduction_ids: list[int]) -> dict[int, int]:
    """What the payroll has withheld so far for each deduction, in one query. Only the line the payroll generated
    counts: a reissue (补发 of a held or failed line) carries the same withholding to be settled when it is paid,
    it does not withhold it again."""
    return dict(PayrollLine.objects.filter(deduction_id__in=deduction_ids, reissue_of__isnull=True)
                .values("deduction_id").annotate(t=Sum("deducted_fen")).values_list("deduction_id", "t"))


def remaining(deduction: Deduction) -> int:
    if deduction.cancelled:
        return 0
    return max(0, deduction.amount_fen - _withheld([deduction.pk]).get(deduction.pk, 0))


def apply_deductions(lines: pl.DataFrame) -> pl.DataFrame:
    """``lines`` (LINE_COLUMNS) with ``deducted_fen`` and ``deduction_id`` set and ``amount_fen`` net of them. Call
    inside the transaction that inserts the lines."""
    lines = lines.with_columns(deducted_fen=pl.lit(0, pl.Int64), deduction_id=pl.lit(None, pl.Int64))
    if lines.is_empty():
        return lines
    base = lines.filter(C("kind").is_in(list(BASE_KINDS)))
    if base.is_empty():
        return lines
    ents = set(base["entitlement_id"].unique().to_list())
    # a range, not a 20 000-id IN list: the chunk's entitlement ids are contiguous in id order
    found = Deduction.objects.select_for_update().filter(
        entitlement_id__gte=min(ents), entitlement_id__lte=max(ents), cancelled=False).order_by("created_at", "id")
    open_ = [d for d in found if d.entitlement_id in ents]
    if not open_:
        return lines
    done = _withheld([d.pk for d in open_])  # one query for the chunk, not one per deduction
    left = {d.pk: max(0, d.amount_fen - done.get(d.pk, 0)) for d in open_}
    take: dict[int, tuple[int, int]] = {}  # row index → (withheld, deduction id)
    rows = lines.with_row_index("i").filter(C("kind").is_in(list(BASE_KINDS))).sort("month")
    for i, ent, amount in rows.select("i", "entitlement_id", "amount_fen").iter_rows():
        for d in open_:
            if d.entitlement_id != ent or left[d.pk] <= 0:
                continue
            fen = min(left[d.pk], d.monthly_max_fen, amount)
            if fen > 0:
                left[d.pk] -= fen
                take[i] = (fen, d.pk)
            break
    if not take:
        return lines
    idx = pl.DataFrame({"i": list(take), "w": [v[0] for v in take.values()], "d": [v[1] for v in take.values()]},
                       schema={"i": pl.UInt32, "w": pl.Int64, "d": pl.Int64})
    out = lines.with_row_index("i").join(idx, on="i", how="left")
    return out.with_columns(deducted_fen=C("w").fill_null(0), deduction_id=C("d"),
                            amount_fen=C("amount_fen") - C("w").fill_null(0)).drop("i", "w", "d").with_columns(
        # wholly withheld: nothing goes to the bank, the line is settled as it stands
        status=pl.when(C("amount_fen") == 0).then(pl.lit("paid")).otherwise(C("status")))


def deduction_schedule(*, actor: User, entitlement, amount_fen: int, monthly_max_fen: int, source: str) -> Deduction:
    """Withhold ``amount_fen`` from the entitlement's coming payments, at most ``monthly_max_fen`` a month. The
    caller (the recovery ledger) checks the actor's rights and the balance."""
    if amount_fen <= 0:
        raise DeductionError(_("扣回金额须大于零"), code=Code.INVALID_AMOUNT, field="amount_fen")
    if monthly_max_fen <= 0:
        raise DeductionError(_("每月扣回金额须大于零"), code=Code.INVALID_AMOUNT, field="monthly_max_fen")
    return Deduction.objects.create(entitlement=entitlement, household_id=entitlement.household_id,
                                    amount_fen=amount_fen, monthly_max_fen=monthly_max_fen, source=source[:60],
                                    created_by=actor)


def _cancel(actor, d: Deduction, reason: str) -> Deduction:
    left = remaining(d)
    d.cancelled, d.cancelled_by, d.cancelled_at, d.cancel_reason = True, actor, timezone.now(), reason.strip()[:200]
    d.save(update_fields=["cancelled", "cancelled_by", "cancelled_at", "cancel_reason"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=d, region_code=d.household.region_id,
                 changes={"cancelled": True, "remaining_fen": left}, reason=reason)
    return d


@transaction.atomic
def deduction_cancel(*, actor, deduction: Deduction | int, reason: str) -> Deduction:
    """撤销扣回: the payroll withholds nothing more from the next payroll on (what generated lines withheld stays
    withheld). Two people: someone who may decide in the household's area, not the one who scheduled it."""
    pk = getattr(deduction, "pk", deduction)
    d = Deduction.objects.restrict(actor, Action.VIEW).select_for_update().select_related("household").filter(
        pk=pk).first()
    if d is None or not allows(actor, Action.DECIDE, d.household.region_id):
        raise NotFoundOrForbidden(_("未找到该扣回安排，或不在您的辖区内"))
    if d.cancelled:
        raise DeductionError(_("该扣回安排已撤销"), code=Code.ALREADY_CANCELLED)
    if d.created_by_id == actor.pk:
        raise DeductionError(_("安排扣回的人不能撤销自己安排的扣回（双人审核）"), code=Code.SAME_PERSON)
    if not reason.strip():
        raise DeductionError(_("撤销扣回须写明理由"), code=Code.REASON_REQUIRED, field="reason")
    return _cancel(actor, d, reason)


def deductions_close(*, actor, source: str, reason: str) -> int:
    """Cancel the open deductions of a recovery ledger that is closed (waived, or recovered by other means): the
    ledger's own decision, so no second check here. Call inside the caller's transaction."""
    found = list(Deduction.objects.select_for_update().select_related("household").filter(source=source,
                                                                                         cancelled=False))
    for d in found:
        _cancel(actor, d, reason)
    return len(found)
