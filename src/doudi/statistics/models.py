"""Maintained aggregates: one figure per (refresh, region, key).

A ``Refresh`` reads the lower apps once, region by region, and stores what the home page and the reports need
(households, persons on the registry, active entitlements per program, this month's payroll, open cases by state,
open warnings) per region code; ``selectors.figures_for`` sums a user's jurisdiction from these rows instead of
counting millions of rows on every visit. The figures of a refresh become visible when it finishes, together with
its time ("截至 …"); the last refresh of each day is kept, so there is a figure per region and day.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager


class Refresh(models.Model):
    """One pass over every region for ``day``. Resumable: ``cursor`` is the last region code stored."""

    day = models.DateField(_("统计日期"))
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    cursor = models.CharField(_("已完成至区划"), max_length=12, blank=True)
    total_count = models.PositiveIntegerField(_("区划总数"), default=0)
    done_count = models.PositiveIntegerField(_("已完成区划数"), default=0)

    class Meta:
        verbose_name = _("统计刷新")
        verbose_name_plural = _("统计刷新")
        indexes = [models.Index(fields=["-finished_at"], name="stat_refresh_finished")]

    def __str__(self) -> str:
        return f"{self.day} {self.done_count}/{self.total_count}"


class Figure(models.Model):
    """A count or an amount (fen) for one region code (the level the source row is filed at, usually a village)."""

    refresh = models.ForeignKey(Refresh, on_delete=models.CASCADE, related_name="figures")
    region_code = models.CharField(_("区划代码"), max_length=12)
    key = models.CharField(_("指标"), max_length=40)
    value = models.BigIntegerField(_("数值"))

    scope_path = "region_code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("统计数字")
        verbose_name_plural = _("统计数字")
        constraints = [
            models.UniqueConstraint(fields=["refresh", "region_code", "key"], name="stat_figure_once"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.key}={self.value}"
