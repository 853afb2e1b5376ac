"""Township temporary-assistance reserve fund (临时救助备用金, S6 §3(3); S4 item 15).

The balance is kept on the fund row and changed only by ``services`` under ``select_for_update``; every change is a
``FundMovement`` carrying the balance after it, so the ledger can be re-added and checked by an auditor.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager


class MovementKind(models.TextChoices):
    TOP_UP = "top_up", _("拨付补充")
    DRAW = "draw", _("先行救助支出")


class ReserveFund(models.Model):
    region = models.OneToOneField(
        "regions.Region", verbose_name=_("乡镇（街道）"), on_delete=models.PROTECT, related_name="reserve_fund"
    )
    balance_fen = models.BigIntegerField(_("余额（分）"), default=0)
    # Shiqiao: the town keeps a reserve of at least 50 000 yuan ([004] 五; profile temporary.township_reserve_min).
    low_balance_fen = models.BigIntegerField(_("余额预警线（分）"), default=5_000_000)
    low_alert_open = models.BooleanField(_("余额不足预警中"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("临时救助备用金")
        verbose_name_plural = _("临时救助备用金")

    def __str__(self) -> str:
        return f"{self.region} 备用金"

    @property
    def is_low(self) -> bool:
        return self.balance_fen < self.low_balance_fen


class FundMovement(models.Model):
    fund = models.ForeignKey(ReserveFund, verbose_name=_("备用金"), on_delete=models.PROTECT, related_name="movements")
    kind = models.CharField(_("类型"), max_length=8, choices=MovementKind.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    balance_after_fen = models.BigIntegerField(_("变动后余额（分）"))
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    scope_path = "fund__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("备用金收支")
        verbose_name_plural = _("备用金收支")
        ordering = ["-at", "-id"]


class FundAlert(models.Model):
    """One alert each time the balance falls below the line; re-running never alerts twice (``low_alert_open``)."""

    fund = models.ForeignKey(ReserveFund, verbose_name=_("备用金"), on_delete=models.CASCADE, related_name="alerts")
    balance_fen = models.BigIntegerField(_("预警时余额（分）"))
    raised_at = models.DateTimeField(_("预警时间"), auto_now_add=True)
    cleared_at = models.DateTimeField(_("解除时间"), null=True, blank=True)

    scope_path = "fund__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("备用金预警")
        verbose_name_plural = _("备用金预警")
        ordering = ["-raised_at"]
