"""One household, one plan (一户一策) for a monitored household: its needs, each department's measures, follow-ups."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.accounts.choices import Department
from doudi.accounts.scoping import RestrictedManager
from doudi.monitoring.choices import MeasureStatus, PlanStatus

USER = settings.AUTH_USER_MODEL


class HouseholdPlan(models.Model):
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name=_("所在村（社区）"), on_delete=models.PROTECT,
                               related_name="+")
    needs = models.TextField(_("困难与需求"))
    status = models.CharField(_("状态"), max_length=8, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    next_follow_up = models.DateField(_("下次回访"), null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("制定人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("制定时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("一户一策帮扶计划")
        verbose_name_plural = _("一户一策帮扶计划")
        ordering = ["-updated_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["household"], condition=models.Q(status="active"),
                                               name="monitoring_one_active_plan")]

    def __str__(self) -> str:
        return f"{self.household} · {self.get_status_display()}"


class PlanMeasure(models.Model):
    plan = models.ForeignKey(HouseholdPlan, verbose_name=_("帮扶计划"), on_delete=models.CASCADE,
                             related_name="measures")
    department = models.CharField(_("责任部门"), max_length=32, choices=Department.choices)
    measure = models.CharField(_("帮扶措施"), max_length=300)
    status = models.CharField(_("落实情况"), max_length=12, choices=MeasureStatus.choices,
                              default=MeasureStatus.PLANNED)
    due_on = models.DateField(_("计划完成日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    updated_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "plan__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("帮扶措施")
        verbose_name_plural = _("帮扶措施")
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.measure


class PlanFollowUp(models.Model):
    plan = models.ForeignKey(HouseholdPlan, verbose_name=_("帮扶计划"), on_delete=models.CASCADE,
                             related_name="follow_ups")
    visited_on = models.DateField(_("回访日期"))
    note = models.CharField(_("回访情况"), max_length=500)
    by = models.ForeignKey(USER, verbose_name=_("回访人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "plan__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("帮扶回访")
        verbose_name_plural = _("帮扶回访")
        ordering = ["-visited_on", "-id"]
