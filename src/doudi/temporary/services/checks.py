"""Second persons on the reserve fund (maker-checker, issue 9): an advance paid from the fund is confirmed by another
caseworker within the profile's days (``procedure.advance_confirm_days``), and a top-up is credited only when a
second person confirms it. Top-ups are bounded: a mistyped 90-trillion-yuan top-up is refused at entry."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import NotFoundOrForbidden, PermissionDenied
from doudi.core.money import format_yuan
from doudi.regions.models import Region
from doudi.temporary.errors import Code, FundError
from doudi.temporary.models import FundTopUp, ReserveFund, TemporaryPayment

if TYPE_CHECKING:
    from doudi.accounts.models import User
    from doudi.temporary.models import FundMovement

# Sanity cap of one top-up: 10 000 000 yuan. No national amount exists (national-rules §3.3); a township reserve is
# sized in 万元 (Shiqiao "5万元以上", [004] 五), so a single top-up above 1 000 万元 is a typing error, not a
# transfer. Documented in docs/decisions.md; a locality needing more enters it in several confirmed top-ups.
TOP_UP_CAP_FEN = 1_000_000_000
# The balance a fund may reach: ten top-ups' worth (keeps the column far from any overflow and an absurd balance out).
BALANCE_CAP_FEN = 10 * TOP_UP_CAP_FEN


def advance_confirm_days(region: Region, *, day: dt.date) -> int | None:
    """The profile's ``procedure.advance_confirm_days`` for the case's village on ``day`` (None: not set)."""
    from doudi.eligibility.services import params_for

    try:
        value = params_for(region.effective_profile(), as_of=day).get("procedure.advance_confirm_days")
    except (ValueError, OSError):  # ProfileError is a ValueError: an unreadable profile sets no date
        return None
    return None if value is None else int(value)


def confirm_due_on(region: Region, *, paid_on: dt.date) -> dt.date:
    """When the advance must be confirmed by; a profile without the key gives the same day (due at once)."""
    days = advance_confirm_days(region, day=paid_on)
    return paid_on + dt.timedelta(days=days or 0)


@transaction.atomic
def advance_confirm(*, actor: User, payment: TemporaryPayment | int) -> TemporaryPayment:
    """A second caseworker confirms an advance paid from the reserve fund (双人经办)."""
    pk = getattr(payment, "pk", payment)
    row = (TemporaryPayment.objects.restrict(actor, Action.VIEW).select_for_update().select_related("case")
           .filter(pk=pk, from_reserve=True).first())
    if row is None:
        raise NotFoundOrForbidden(_("未找到该先行救助发放记录，或不在您的辖区内"))
    township = row.case.region_id[:9].ljust(12, "0")
    if not allows(actor, Action.CHANGE, township):
        raise PermissionDenied(_("复核须由乡镇（街道）或县级经办人员办理"))
    if row.confirmed_at is not None:
        raise FundError(_("该笔先行救助已复核确认"), code=Code.ALREADY_CONFIRMED)
    if row.paid_by_id == actor.pk:
        raise PermissionDenied(_("发放人不能复核自己发放的先行救助，须由另一名工作人员确认"), code=Code.MAKER_CHECKER)
    row.confirmed_by, row.confirmed_at = actor, timezone.now()
    row.save(update_fields=["confirmed_by", "confirmed_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=row.case, region_code=row.case.region_id,
                 changes={"advance_confirmed": row.pk, "amount_fen": row.amount_fen})
    return row


def top_up_check(fund: ReserveFund, *, amount_fen: int) -> None:
    if amount_fen <= 0:
        raise FundError(_("拨付金额须大于零"), code=Code.INVALID_AMOUNT, field="amount")
    if amount_fen > TOP_UP_CAP_FEN:
        raise FundError(_("单笔拨付不能超过%(cap)s元，请核对金额") % {"cap": format_yuan(TOP_UP_CAP_FEN)},
                        code=Code.OVER_TOP_UP_CAP, field="amount")
    if fund.balance_fen + amount_fen > BALANCE_CAP_FEN:
        raise FundError(_("拨付后余额将超过%(cap)s元，请核对金额") % {"cap": format_yuan(BALANCE_CAP_FEN)},
                        code=Code.OVER_BALANCE_CAP, field="amount")


@transaction.atomic
def fund_top_up(*, actor: User, fund: ReserveFund, amount_fen: int, note: str = "") -> FundTopUp:
    """Enter a top-up; the balance changes only when a second person confirms it (``fund_top_up_confirm``)."""
    fund = ReserveFund.objects.select_for_update().get(pk=fund.pk)
    if not allows(actor, Action.CHANGE, fund.region_id):
        raise NotFoundOrForbidden(_("未找到该备用金，或不在您的辖区内"))
    top_up_check(fund, amount_fen=amount_fen)
    row = FundTopUp.objects.create(fund=fund, amount_fen=amount_fen, note=note[:200], requested_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, region_code=fund.region_id,
                 changes={"top_up_fen": amount_fen}, reason=note)
    return row


@transaction.atomic
def fund_top_up_confirm(*, actor: User, top_up: FundTopUp | int) -> FundMovement:
    """The second person confirms a top-up: the fund is credited (``reserve.fund_credit``)."""
    from doudi.temporary.services.reserve import fund_credit

    pk = getattr(top_up, "pk", top_up)
    row = FundTopUp.objects.restrict(actor, Action.CHANGE).select_for_update().filter(pk=pk).first()
    if row is None:
        raise NotFoundOrForbidden(_("未找到该拨付记录，或不在您的辖区内"))
    if row.confirmed_at is not None:
        raise FundError(_("该笔拨付已确认入账"), code=Code.ALREADY_CONFIRMED)
    if row.requested_by_id == actor.pk:
        raise PermissionDenied(_("录入人不能确认自己录入的拨付，须由另一名工作人员确认"), code=Code.MAKER_CHECKER)
    fund = ReserveFund.objects.select_for_update().get(pk=row.fund_id)
    top_up_check(fund, amount_fen=row.amount_fen)
    row.movement = fund_credit(actor=actor, fund=fund, amount_fen=row.amount_fen, note=row.note)
    row.confirmed_by, row.confirmed_at = actor, timezone.now()
    row.save(update_fields=["movement", "confirmed_by", "confirmed_at"])
    return row.movement
