"""Stored evaluations: every run of the rules engine on a registry household, reproducible later.

An evaluation keeps the engine input it was given, the resolved policy parameters (values, dates and sources) and
the result with its explanation, so an appeal board can see exactly what was decided and why, and
``services.evaluation_replay`` can re-run it and get the same answer even after the registry or the policy changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager


class Evaluation(models.Model):
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="evaluations"
    )
    as_of = models.DateField(_("测算日期"))
    profile = models.CharField(_("政策配置"), max_length=64)
    profile_version = models.CharField(_("政策版本"), max_length=64)
    params = models.JSONField(_("政策参数"))
    inputs = models.JSONField(_("输入数据"))
    result = models.JSONField(_("测算结果"))
    explanation = models.JSONField(_("说明"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("测算人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("测算时间"), auto_now_add=True)

    scope_path = "household__region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("政策测算")
        verbose_name_plural = _("政策测算")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.household} · {self.as_of}"
