"""One register entry: a caseworker or village-committee member and one close relative, matched by ID number."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager
from doudi.relatives.choices import CadreRole, Kinship

USER = settings.AUTH_USER_MODEL


class CadreRelative(models.Model):
    """近亲属备案 (S1 Art 11, 20): a caseworker or village-committee member and one close relative, by ID number."""

    region = models.ForeignKey("regions.Region", verbose_name=_("任职区划"), on_delete=models.PROTECT, related_name="+")
    cadre_name = models.CharField(_("工作人员姓名"), max_length=50)
    cadre_role = models.CharField(_("身份"), max_length=20, choices=CadreRole.choices)
    relative_name = models.CharField(_("近亲属姓名"), max_length=50)
    relative_id_number = models.CharField(_("近亲属身份证号码"), max_length=18, db_index=True)
    kinship = models.CharField(_("关系"), max_length=16, choices=Kinship.choices)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("登记人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        db_table = "cases_cadrerelative"  # created when the register was part of cases (docs/decisions.md)
        verbose_name = _("近亲属备案")
        verbose_name_plural = _("近亲属备案")

    def __str__(self) -> str:
        return f"{self.cadre_name} · {self.get_kinship_display()}"
