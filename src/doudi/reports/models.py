"""A statutory report, computed once by a background task and stored (rows, totals and the payroll reconciliation),
so opening or exporting it never recomputes; a re-run for the same area and period replaces it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager
from doudi.reports.choices import ReportKind, ReportStatus


class StatReport(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("填报单位"), on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(_("报表"), max_length=12, choices=ReportKind.choices)
    period = models.DateField(_("报告期（首月）"))
    status = models.CharField(_("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING)
    rows = models.JSONField(_("分地区数据"), default=list, blank=True)
    totals = models.JSONField(_("合计"), default=dict, blank=True)
    payroll_total_fen = models.BigIntegerField(_("发放名册合计（分）"), null=True, blank=True)
    error = models.CharField(_("失败原因"), max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发起人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("统计报表")
        verbose_name_plural = _("统计报表")
        ordering = ["-period", "region_id"]
        constraints = [models.UniqueConstraint(fields=["region", "kind", "period"], name="reports_one_per_period")]

    def __str__(self) -> str:
        return f"{self.region} {self.get_kind_display()} {self.period:%Y-%m}"

    @property
    def reconciled(self) -> bool:
        return self.payroll_total_fen is not None and self.totals.get("due_fen") == self.payroll_total_fen
