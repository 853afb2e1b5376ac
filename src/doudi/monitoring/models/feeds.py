"""Department data for monitoring (部门数据推送): one batch per file or exchange push, one row per record.

A batch is bound to the uploading department and the area of its grant: its rows are matched only against people
living in that area (``FeedRow.person`` is set at load time only for a registry person whose household is in the
batch's area), so another county's upload can never raise a warning about your residents. Loaded whole or not at
all; the same file for the same feed and area loads once; rows already delivered (same natural key) are skipped.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.accounts.choices import Department
from doudi.accounts.scoping import RestrictedManager
from doudi.core.ids import mask_resident_id
from doudi.monitoring.choices import FeedFormat


class RowMatch(models.TextChoices):
    MATCHED = "matched", _("已匹配辖区人员")
    UNKNOWN = "unknown", _("台账中无此人")
    OUT_OF_AREA = "out_of_area", _("非本辖区人员（不参与比对）")
    AREA = "area", _("按区域上报")


class FeedBatch(models.Model):
    feed = models.CharField(_("数据类别"), max_length=24)
    department = models.CharField(_("报送部门"), max_length=32, choices=Department.choices)
    region = models.ForeignKey("regions.Region", verbose_name=_("报送辖区"), on_delete=models.PROTECT,
                               related_name="+")
    period = models.DateField(_("数据所属月份"))
    filename = models.CharField(_("文件名"), max_length=200)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    fmt = models.CharField(_("格式"), max_length=8, choices=FeedFormat.choices)
    row_count = models.PositiveIntegerField(_("记录数"), default=0)
    new_count = models.PositiveIntegerField(_("新增记录数"), default=0)
    matched_count = models.PositiveIntegerField(_("匹配辖区人员"), default=0)
    unknown_count = models.PositiveIntegerField(_("台账中无此人"), default=0)
    out_of_area_count = models.PositiveIntegerField(_("非本辖区人员"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(_("报送时间"), auto_now_add=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("部门数据批次")
        verbose_name_plural = _("部门数据批次")
        ordering = ["-uploaded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["feed", "region", "checksum"], name="monitoring_feed_file_once")]

    def __str__(self) -> str:
        return f"{self.feed} · {self.filename}"


class FeedRow(models.Model):
    batch = models.ForeignKey(FeedBatch, verbose_name=_("批次"), on_delete=models.CASCADE, related_name="rows")
    region = models.ForeignKey("regions.Region", verbose_name=_("报送辖区"), on_delete=models.PROTECT,
                               related_name="+")
    feed = models.CharField(_("数据类别"), max_length=24)
    row_number = models.PositiveIntegerField(_("行号"))
    # The feed's natural key (e.g. settlement number, or ID + date), hashed: a row delivered twice loads once.
    row_key = models.CharField(max_length=32)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    person = models.ForeignKey("registry.Person", verbose_name=_("匹配人员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey("regions.Region", verbose_name=_("所涉村（社区）"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    match = models.CharField(_("匹配结果"), max_length=12, choices=RowMatch.choices)
    event_date = models.DateField(_("发生日期"))
    month = models.PositiveIntegerField(_("月份序号"))  # doudi.rules.monitoring.month_index
    code = models.PositiveSmallIntegerField(_("类型代码"))
    amount_fen = models.BigIntegerField(_("金额（分）"), default=0)
    grade = models.PositiveSmallIntegerField(_("等级"), default=0)
    item_key = models.BigIntegerField(_("财产标识"), default=0)
    fields = models.JSONField(_("其他字段"), default=dict)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("部门数据记录")
        verbose_name_plural = _("部门数据记录")
        ordering = ["batch", "row_number"]
        constraints = [models.UniqueConstraint(fields=["feed", "region", "row_key"], name="monitoring_feed_row_once")]
        indexes = [models.Index(fields=["feed", "month"]), models.Index(fields=["person"])]

    def __str__(self) -> str:
        return f"{self.feed} · {self.row_number}"

    @property
    def masked_id_number(self) -> str:
        return mask_resident_id(self.id_number) if self.id_number else ""
