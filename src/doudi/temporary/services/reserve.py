"""Reserve-fund (备用金) writes. Every change locks the fund row, writes a movement with the balance after it and its
audit event in the same transaction; the low-balance alert is raised once per crossing (re-running never alerts
twice)."""

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
from doudi.core.errors import NotFoundOrForbidden
from doudi.core.money import format_yuan
from doudi.regions.choices import Level
from doudi.regions.models import Region
from doudi.temporary.choices import MovementKind
from doudi.temporary.errors import Code, FundError
from doudi.temporary.models import FundAlert, FundMovement, ReserveFund

if TYPE_CHECKING:
    from doudi.accounts.models import User


def _can_change(actor: User, region: Region) -> bool:
    return allows(actor, Action.CHANGE, region.code)


def township_of(region: Region) -> Region:
    for r in region.ancestors():
        if r.level == Level.TOWNSHIP:
            return r
    raise FundError(_("该区划不属于任何乡镇（街道）"), code=Code.NO_TOWNSHIP)


def _check_alert(fund: ReserveFund) -> None:
    if fund.is_low and not fund.low_alert_open:
        FundAlert.objects.create(fund=fund, balance_fen=fund.balance_fen)
        fund.low_alert_open = True
    elif not fund.is_low and fund.low_alert_open:
        FundAlert.objects.filter(fund=fund, cleared_at__isnull=True).update(cleared_at=timezone.now())
        fund.low_alert_open = False


def reserve_min_fen(region: Region, *, day: dt.date | None = None) -> int:
    """The low-balance line from the region's policy profile (``temporary.township_reserve_min``; e.g. Shiqiao
    "镇设立5万元以上临时救助储备金", [004] 五). A profile without one sets no floor (national-rules §3.3 has no
    national amount): 0, so the alert only fires when the fund is empty."""
    from doudi.cases.selectors import temporary_limits

    try:
        value = temporary_limits(region, day=day or timezone.localdate()).township_reserve_min_fen
    except (ValueError, OSError):  # ProfileError is a ValueError: a broken profile must not stop opening the fund
        return 0
    return 0 if value is None else int(value)


@transaction.atomic
def fund_open(*, actor: User, region: Region, low_balance_fen: int | None = None) -> ReserveFund:
    if low_balance_fen is None:
        low_balance_fen = reserve_min_fen(region)
    if region.level != Level.TOWNSHIP:
        raise FundError(_("备用金设在乡镇（街道）一级"), code=Code.TOWNSHIP_ONLY)
    if not _can_change(actor, region):
        raise NotFoundOrForbidden(_("未找到该区划，或不在您的辖区内"))
    fund, created = ReserveFund.objects.get_or_create(region=region, defaults={"low_balance_fen": low_balance_fen})
    if created:
        fund.low_alert_open = True
        fund.save(update_fields=["low_alert_open"])
        FundAlert.objects.create(fund=fund, balance_fen=0)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=fund, region_code=region.code)
    return fund


def fund_credit(*, actor: User, fund: ReserveFund, amount_fen: int, note: str = "") -> FundMovement:
    """Credit a confirmed top-up to the locked ``fund`` (called by ``checks.fund_top_up_confirm`` only)."""
    fund.balance_fen += amount_fen
    _check_alert(fund)
    fund.save(update_fields=["balance_fen", "low_alert_open", "updated_at"])
    mv = FundMovement.objects.create(fund=fund, kind=MovementKind.TOP_UP, amount_fen=amount_fen,
                                     balance_after_fen=fund.balance_fen, note=note, actor=actor)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=fund, region_code=fund.region_id,
                 changes={"top_up_fen": amount_fen, "balance_fen": fund.balance_fen}, reason=note)
    return mv


@transaction.atomic
def fund_draw(*, actor: User, region: Region, amount_fen: int, case=None, note: str = "") -> FundMovement:
    """Pay advance aid (先行救助) from the township's reserve. The caller has checked the actor's authority."""
    township = township_of(region)
    fund = ReserveFund.objects.select_for_update().filter(region=township).first()
    if fund is None:
        raise FundError(_("%(town)s尚未建立临时救助备用金") % {"town": township.name}, code=Code.NO_RESERVE_FUND)
    if not _can_change(actor, township) and not _can_change(actor, region):
        raise NotFoundOrForbidden(_("未找到该备用金，或不在您的辖区内"))
    if amount_fen <= 0:
        raise FundError(_("支出金额须大于零"), code=Code.INVALID_AMOUNT, field="amount")
    if amount_fen > fund.balance_fen:
        raise FundError(
            _("备用金余额不足：余额 %(bal)s 元，需支出 %(amt)s 元，请先申请拨付")
            % {"bal": format_yuan(fund.balance_fen), "amt": format_yuan(amount_fen)},
            code=Code.INSUFFICIENT_BALANCE,
        )
    fund.balance_fen -= amount_fen
    _check_alert(fund)
    fund.save(update_fields=["balance_fen", "low_alert_open", "updated_at"])
    mv = FundMovement.objects.create(fund=fund, kind=MovementKind.DRAW, amount_fen=amount_fen,
                                     balance_after_fen=fund.balance_fen, case=case, note=note, actor=actor)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=fund, region_code=fund.region_id,
                 changes={"draw_fen": amount_fen, "balance_fen": fund.balance_fen, "case": getattr(case, "pk", None)},
                 reason=note)
    return mv
