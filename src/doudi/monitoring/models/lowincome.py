"""The low-income population database (低收入人口库, "一库"): who is in it, in which category, since when and why.

Rows are dated like registry evidence (``valid_from``/``valid_to``, inclusive, open end = still true) and ended,
never deleted, so the database can be read as of any past day. Categories come from entitlements (低保, 特困), the
formal identification of 低保边缘 and 刚性支出困难 families (``Identification``, decided by two people), the
rural-revitalisation feed (防止返贫监测) and local entries (其他困难人员).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager
from doudi.monitoring.choices import (
    Category,
    EntrySource,
    IdentificationCategory,
    IdentificationChannel,
    IdentificationState,
)
from doudi.registry.models import DatedQuerySet

USER = settings.AUTH_USER_MODEL


class LowIncomeMember(models.Model):
    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("regions.Region", verbose_name=_("所在村（社区）"), on_delete=models.PROTECT,
                               related_name="+")
    category = models.CharField(_("类别"), max_length=12, choices=Category.choices)
    reason = models.CharField(_("纳入原因"), max_length=200)
    source = models.CharField(_("依据"), max_length=16, choices=EntrySource.choices)
    source_ref = models.CharField(_("依据记录"), max_length=40, blank=True)
    valid_from = models.DateField(_("纳入日期"))
    valid_to = models.DateField(_("退出日期"), null=True, blank=True)
    end_reason = models.CharField(_("退出原因"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name=_("登记人"), null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    household_path = "household_id"
    objects = RestrictedManager.from_queryset(DatedQuerySet)()

    class Meta:
        verbose_name = _("低收入人口")
        verbose_name_plural = _("低收入人口")
        ordering = ["region", "household", "person", "category"]
        constraints = [
            models.UniqueConstraint(fields=["person", "household", "category"], condition=Q(valid_to__isnull=True),
                                    name="lowincome_one_open_row"),
        ]
        indexes = [models.Index(fields=["category", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_category_display()}"


class Screening(models.Model):
    """The rules engine's verdict on a household at the last low-income database refresh (政策测算筛查): the facts
    the monitoring job needs (standard, counted members, countable income) and whether the engine finds the household
    eligible for 低保/特困 or in the 低保边缘/刚性支出 range while it is not covered."""

    household = models.OneToOneField("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                     related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name=_("所在村（社区）"), on_delete=models.PROTECT,
                               related_name="+")
    as_of = models.DateField(_("测算日期"))
    profile = models.CharField(_("政策配置"), max_length=64)
    policy_version = models.CharField(_("政策版本"), max_length=64)
    dibao_eligible = models.BooleanField(_("符合低保条件"), default=False)
    tekun_eligible = models.BooleanField(_("符合特困条件"), default=False)
    margin = models.BooleanField(_("低保边缘"), default=False)
    rigid = models.BooleanField(_("刚性支出困难"), default=False)
    covered = models.BooleanField(_("已在保（低保/特困）"), default=False)
    standard_fen = models.BigIntegerField(_("低保标准（分/人·月）"), default=0)
    counted_members = models.PositiveSmallIntegerField(_("计入人数"), default=0)
    income_fen = models.BigIntegerField(_("可计算月收入（分）"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("政策测算筛查")
        verbose_name_plural = _("政策测算筛查")
        indexes = [models.Index(fields=["covered", "dibao_eligible", "tekun_eligible"])]

    def __str__(self) -> str:
        return f"{self.household} · {self.as_of}"


class Identification(models.Model):
    """Formal identification of a 低保边缘 or 刚性支出困难 family: proposed (application or discovery), verified (the
    engine's evaluation on file), then approved or rejected by a second person (maker-checker)."""

    number = models.CharField(_("认定编号"), max_length=24, unique=True)
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name=_("所在村（社区）"), on_delete=models.PROTECT,
                               related_name="+")
    category = models.CharField(_("认定类别"), max_length=8, choices=IdentificationCategory.choices)
    channel = models.CharField(_("来源"), max_length=12, choices=IdentificationChannel.choices)
    state = models.CharField(_("状态"), max_length=10, choices=IdentificationState.choices,
                             default=IdentificationState.PROPOSED)
    statement = models.CharField(_("情况说明"), max_length=500, blank=True)
    alert = models.ForeignKey("monitoring.Alert", verbose_name=_("来源预警"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    evaluation = models.ForeignKey("eligibility.Evaluation", verbose_name=_("核对测算"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    engine_eligible = models.BooleanField(_("测算结论符合"), null=True, blank=True)
    proposed_by = models.ForeignKey(USER, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    verified_by = models.ForeignKey(USER, verbose_name=_("核对人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    decided_by = models.ForeignKey(USER, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_reason = models.CharField(_("审批意见"), max_length=300, blank=True)
    valid_from = models.DateField(_("认定有效期起"), null=True, blank=True)
    valid_to = models.DateField(_("认定有效期止"), null=True, blank=True)

    scope_path = "region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("低收入家庭认定")
        verbose_name_plural = _("低收入家庭认定")
        ordering = ["-proposed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} · {self.get_category_display()}"


class IdentificationTransition(models.Model):
    identification = models.ForeignKey(Identification, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("原状态"), max_length=10, blank=True, choices=IdentificationState.choices)
    to_state = models.CharField(_("新状态"), max_length=10, choices=IdentificationState.choices)
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    scope_path = "identification__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("认定流转记录")
        verbose_name_plural = _("认定流转记录")
        ordering = ["at", "id"]
