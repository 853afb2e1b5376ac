"""An inspection round (抽查批次), its drawn items (one recipient each, with drawn inspectors) and corrective actions.

The draw is recorded so anyone can re-run it: the seed, the population's filter, how many were in it and a digest of
the ordered candidate ids, and the inspector pool's digest (``draw.py`` is the pure algorithm).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager
from doudi.benefits.choices import Program
from doudi.supervision.choices import Finding, ItemStatus, Method, Risk, RoundStatus

USER = settings.AUTH_USER_MODEL


class InspectionRound(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("抽查区域"), on_delete=models.PROTECT,
                               related_name="+")
    title = models.CharField(_("批次名称"), max_length=100)
    program = models.CharField(_("救助项目"), max_length=16, choices=Program.choices, blank=True)
    risk = models.CharField(_("抽查范围"), max_length=12, choices=Risk.choices, default=Risk.ANY)
    sample_size = models.PositiveIntegerField(_("抽取对象数"))
    inspectors_per_item = models.PositiveSmallIntegerField(_("每户检查人员数"))
    seed = models.BigIntegerField(_("随机种子"))
    as_of = models.DateField(_("抽取基准日"))
    population_count = models.PositiveIntegerField(_("候选对象数"), default=0)
    population_digest = models.CharField(_("候选对象摘要"), max_length=64, blank=True)
    candidate_ids = models.JSONField(_("候选对象（按编号排序）"), default=list, blank=True)
    pool_count = models.PositiveIntegerField(_("检查人员名录人数"), default=0)
    pool_ids = models.JSONField(_("检查人员名录（按编号排序）"), default=list, blank=True)
    pool_digest = models.CharField(_("检查人员名录摘要"), max_length=64, blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAWN)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    publish_due = models.DateField(_("公开期限"), null=True, blank=True)
    public_summary = models.TextField(_("公开说明"), blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("组织人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("双随机抽查批次")
        verbose_name_plural = _("双随机抽查批次")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class InspectionItem(models.Model):
    round = models.ForeignKey(InspectionRound, verbose_name=_("抽查批次"), on_delete=models.CASCADE,
                              related_name="items")
    position = models.PositiveIntegerField(_("抽取顺序"))
    entitlement = models.ForeignKey("benefits.Entitlement", verbose_name=_("被抽查的救助待遇"),
                                    on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="+")
    inspectors = models.ManyToManyField(USER, verbose_name=_("检查人员"), related_name="+", blank=True)
    status = models.CharField(_("状态"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    method = models.CharField(_("检查方式"), max_length=12, choices=Method.choices, blank=True)
    inspected_on = models.DateField(_("检查日期"), null=True, blank=True)
    finding = models.CharField(_("检查结论"), max_length=12, choices=Finding.choices, blank=True)
    notes = models.TextField(_("检查记录"), blank=True)
    photo = models.FileField(_("现场照片"), upload_to="inspections/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name=_("记录人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    scope_path = "household__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("抽查对象")
        verbose_name_plural = _("抽查对象")
        ordering = ["round", "position"]
        constraints = [models.UniqueConstraint(fields=["round", "position"], name="supervision_item_position")]


class CorrectiveAction(models.Model):
    item = models.ForeignKey(InspectionItem, verbose_name=_("抽查对象"), on_delete=models.CASCADE,
                             related_name="actions")
    description = models.TextField(_("整改要求"))
    due_on = models.DateField(_("整改期限"))
    done_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    result = models.TextField(_("整改结果"), blank=True)
    review = models.ForeignKey("reviews.ReviewTask", verbose_name=_("启动的核查"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(USER, verbose_name=_("提出人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "item__household__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["due_on", "id"]
