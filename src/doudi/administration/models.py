"""Records of 系统管理: maker-checker changes of a region's attributes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager
from doudi.administration.choices import ChangeStatus
from doudi.regions.choices import AreaType


class RegionChange(models.Model):
    """A change of a region's 城乡 type or policy profile: an eligibility change, so one administrator proposes it with
    a date and a reason (the document behind it), and a second administrator of the owning level confirms it before it
    takes effect on that date (``administration.region_services``). Rows are kept as the history of the region's
    attributes."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="changes"
    )
    area_type_before = models.CharField(_("原城乡"), max_length=5, choices=AreaType.choices)
    area_type = models.CharField(_("新城乡"), max_length=5, choices=AreaType.choices)
    profile_before = models.CharField(_("原政策配置"), max_length=64, blank=True)
    profile = models.CharField(_("新政策配置"), max_length=64, blank=True)
    effective_on = models.DateField(_("生效日期"))
    reason = models.CharField(_("依据和理由"), max_length=500)
    status = models.CharField(_("状态"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("复核人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    decision_note = models.CharField(_("复核意见"), max_length=500, blank=True)
    applied_at = models.DateTimeField(_("生效时间"), null=True, blank=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("区划属性变更")
        verbose_name_plural = _("区划属性变更")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.region} · {self.effective_on:%Y-%m-%d}"
