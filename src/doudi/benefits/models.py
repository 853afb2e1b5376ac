"""Who receives which benefit, from when, at what monthly amount (在保对象).

An entitlement is created by a decision (the case workflow) and read by the payroll. This first version holds the
current recipients; the case workflow and monthly payroll build on it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager
from doudi.benefits.choices import EntitlementStatus, Program


class Entitlement(models.Model):
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="entitlements"
    )
    # Set for benefits that belong to one person (特困, 单人户); empty for a whole-household 低保.
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("救助对象"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="entitlements",
    )
    program = models.CharField(_("救助项目"), max_length=16, choices=Program.choices)
    status = models.CharField(_("状态"), max_length=12, choices=EntitlementStatus.choices, default="active")
    monthly_fen = models.BigIntegerField(_("月救助金额（分）"))
    covered_members = models.PositiveSmallIntegerField(_("保障人数"), default=1)
    start_month = models.DateField(_("起始月份"))
    end_month = models.DateField(_("终止月份"), null=True, blank=True)
    evaluation = models.ForeignKey(
        "eligibility.Evaluation", verbose_name=_("依据的测算"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "household__region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("救助待遇")
        verbose_name_plural = _("救助待遇")
        indexes = [models.Index(fields=["program", "status"])]

    def __str__(self) -> str:
        return f"{self.household} · {self.get_program_display()}"
