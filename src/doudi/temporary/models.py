"""Temporary assistance (临时救助): the request behind a temporary case, its staged payments, and the township reserve
fund (备用金, S6 §3(3); S4 item 15) that pays advance aid first.

The fund's balance is kept on the fund row and changed only by ``services.reserve`` under ``select_for_update``;
every change is a ``FundMovement`` carrying the balance after it, so the ledger can be re-added and checked by an
auditor. The tables keep the names they were created with in the cases and funds apps (docs/decisions.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager
from doudi.cases.choices import TemporaryCause, TemporaryType
from doudi.temporary.choices import MovementKind

USER = settings.AUTH_USER_MODEL


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
        db_table = "funds_reservefund"
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
        db_table = "funds_fundmovement"
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
        db_table = "funds_fundalert"
        verbose_name = _("备用金预警")
        verbose_name_plural = _("备用金预警")
        ordering = ["-raised_at"]


class FundTopUp(models.Model):
    """A top-up of the reserve fund: entered by one person, credited only when a second person confirms it."""

    fund = models.ForeignKey(ReserveFund, verbose_name=_("备用金"), on_delete=models.PROTECT, related_name="top_ups")
    amount_fen = models.BigIntegerField(_("金额（分）"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    requested_by = models.ForeignKey(USER, verbose_name=_("录入人"), null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    confirmed_by = models.ForeignKey(USER, verbose_name=_("确认人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    movement = models.OneToOneField(FundMovement, verbose_name=_("入账记录"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="top_up")

    scope_path = "fund__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("备用金拨付")
        verbose_name_plural = _("备用金拨付")
        ordering = ["-requested_at", "-id"]


class TemporaryRequest(models.Model):
    case = models.OneToOneField(
        "cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE, related_name="temporary"
    )
    type = models.CharField(_("类型"), max_length=12, choices=TemporaryType.choices)
    cause = models.CharField(_("原因"), max_length=20, choices=TemporaryCause.choices)
    # the band's severity (rules.kinds.TEMP_SEVERITY); a profile may band by it
    severity = models.CharField(_("困难程度"), max_length=10, default="general", choices=[
        ("general", _("一般困难")), ("serious", _("较重困难")), ("major", _("重大困难"))])
    requested_fen = models.BigIntegerField(_("申请金额（分）"))
    approved_fen = models.BigIntegerField(_("核定金额（分）"), null=True, blank=True)
    stages = models.PositiveSmallIntegerField(_("分阶段救助次数"), default=1)
    occurred_on = models.DateField(_("急难发生日期"), null=True, blank=True)
    conference_minutes = models.FileField(_("一事一议会议纪要"), upload_to="cases/conference/%Y/", blank=True)
    conference_held_on = models.DateField(_("一事一议日期"), null=True, blank=True)
    paperwork_completed_on = models.DateField(_("补齐手续日期"), null=True, blank=True)

    scope_path = "case__region__code"
    objects = RestrictedManager()

    class Meta:
        db_table = "cases_temporaryrequest"
        verbose_name = _("临时救助申请")
        verbose_name_plural = _("临时救助申请")


class TemporaryPayment(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="payments")
    stage = models.PositiveSmallIntegerField(_("阶段"))
    amount_fen = models.BigIntegerField(_("金额（分）"))
    paid_at = models.DateTimeField(_("发放时间"))
    from_reserve = models.BooleanField(_("备用金先行支付"), default=False)
    movement = models.OneToOneField(
        FundMovement,
        verbose_name=_("备用金支出"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="payment",
    )
    paid_by = models.ForeignKey(USER, verbose_name=_("经办人"), null=True, on_delete=models.SET_NULL, related_name="+")
    # Paid from the reserve fund by one person, confirmed by another within the profile's days
    # (``procedure.advance_confirm_days``); unconfirmed after ``confirm_due`` it is listed as overdue.
    confirm_due = models.DateField(_("复核期限"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        USER, verbose_name=_("复核人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("复核时间"), null=True, blank=True)

    scope_path = "case__region__code"
    objects = RestrictedManager()

    class Meta:
        db_table = "cases_temporarypayment"
        verbose_name = _("临时救助发放")
        verbose_name_plural = _("临时救助发放")
        constraints = [models.UniqueConstraint(fields=["case", "stage"], name="unique_payment_stage")]
