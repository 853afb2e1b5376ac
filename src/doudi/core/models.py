"""The one model at the bottom of the house: the working-day calendar every deadline is counted on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkingCalendarDay(models.Model):
    """Exceptions to Monday–Friday: public holidays (is_working=False) and adjusted working weekends (调休上班)."""

    date = models.DateField(_("日期"), primary_key=True)
    is_working = models.BooleanField(_("工作日"))
    name = models.CharField(_("说明"), max_length=50, blank=True)

    class Meta:
        # The table was created by the cases app, where the calendar lived first (docs/decisions.md).
        db_table = "cases_workingcalendarday"
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_working else '休息'} {self.name}"
