"""Household economic verification (家庭经济状况核对): authorisations, department data, requests and reports.

Cases are referenced loosely (``application_id``), so this app never imports the case workflow.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager, RestrictedQuerySet
from doudi.verification.choices import (
    AuthorisationMethod,
    AuthorisationRole,
    DataDepartment,
    DiscrepancyKind,
    DiscrepancyStatus,
    RequestStatus,
    SourceCategory,
)


class AuthorisationQuerySet(RestrictedQuerySet):
    def valid_on(self, day: dt.date):
        return self.filter(
            Q(revoked_at__isnull=True) & Q(signed_at__lte=day) & (Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        )


class Authorisation(models.Model):
    """A signed verification authorisation (家庭经济状况核对授权书) by one person for one household's checks.

    S1 Art 9(3): every member authorises; S2 Art 10 ¶3: for 特困 also every statutory supporter.
    """

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.CASCADE, related_name="authorisations"
    )
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("授权人"), on_delete=models.PROTECT, related_name="authorisations"
    )
    role = models.CharField(_("身份"), max_length=16, choices=AuthorisationRole.choices)
    signed_at = models.DateField(_("签署日期"))
    method = models.CharField(_("签署方式"), max_length=16, choices=AuthorisationMethod.choices)
    scan = models.FileField(_("授权书扫描件"), upload_to="authorisations/%Y/%m/", blank=True)
    signature_ref = models.CharField(_("电子签名流水号"), max_length=64, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "household__region__code"
    household_path = "household_id"
    objects = RestrictedManager.from_queryset(AuthorisationQuerySet)()

    class Meta:
        verbose_name = _("核对授权")
        verbose_name_plural = _("核对授权")
        ordering = ["household", "person", "-signed_at"]

    def __str__(self) -> str:
        return f"{self.person} · {self.signed_at}"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class DepartmentBatch(models.Model):
    """One department file loaded into the data exchange. Loaded whole or not at all; the checksum makes re-loading
    the same file for the same area a no-op. A batch counts only for households in its area (``sources.exchange``),
    so the same file loaded by another county is that county's own batch, not a repeat."""

    department = models.CharField(_("数据提供部门"), max_length=20, choices=DataDepartment.choices)
    filename = models.CharField(_("文件名"), max_length=200)
    checksum = models.CharField(_("SHA-256"), max_length=64)
    row_count = models.PositiveIntegerField(_("记录数"), default=0)
    # The county (or higher) whose staff loaded it; null for the command line. Scopes who sees the batch list.
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("导入单位辖区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("导入人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    loaded_at = models.DateTimeField(_("导入时间"), auto_now_add=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("部门数据批次")
        verbose_name_plural = _("部门数据批次")
        ordering = ["-loaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["department", "checksum", "region"], condition=Q(region__isnull=False),
                                    name="unique_department_file"),
            models.UniqueConstraint(fields=["department", "checksum"], condition=Q(region__isnull=True),
                                    name="unique_department_file_server"),
        ]

    def __str__(self) -> str:
        return f"{self.get_department_display()} · {self.filename}"


class DepartmentRecord(models.Model):
    """One fact a department holds about one person (the demo department data exchange)."""

    batch = models.ForeignKey(DepartmentBatch, verbose_name=_("批次"), on_delete=models.CASCADE, related_name="records")
    department = models.CharField(_("数据提供部门"), max_length=20, choices=DataDepartment.choices)
    category = models.CharField(_("核对项目"), max_length=20, choices=SourceCategory.choices)
    kind = models.CharField(_("细类"), max_length=20, blank=True)
    id_number = models.CharField(_("身份证号码"), max_length=18, db_index=True)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    monthly_fen = models.BigIntegerField(_("月收入（分）"), null=True, blank=True)
    value_fen = models.BigIntegerField(_("价值（分）"), null=True, blank=True)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)
    detail = models.CharField(_("说明"), max_length=200, blank=True)
    row_number = models.PositiveIntegerField(_("文件行号"))
    fields = models.JSONField(_("原始字段"), default=dict, blank=True)

    scope_path = "batch__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("部门数据记录")
        verbose_name_plural = _("部门数据记录")
        ordering = ["batch", "row_number"]
        indexes = [models.Index(fields=["id_number", "category"])]

    def __str__(self) -> str:
        return f"{self.get_category_display()} · {self.row_number}"


class VerificationRequest(models.Model):
    """The township's request to the county for information verification; S1 Art 17: start within 3 working days."""

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.CASCADE, related_name="verification_requests"
    )
    application_id = models.PositiveBigIntegerField(_("申请编号"), null=True, blank=True, db_index=True)
    include_supporters = models.BooleanField(_("核对法定义务人（特困）"), default=False)
    as_of = models.DateField(_("核对基准日"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("申请人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    due = models.DateField(_("办理期限"))
    status = models.CharField(_("状态"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.REQUESTED)

    scope_path = "household__region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("核对申请")
        verbose_name_plural = _("核对申请")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.household} · {self.as_of}"


class VerificationReport(models.Model):
    request = models.OneToOneField(
        VerificationRequest, verbose_name=_("核对申请"), on_delete=models.CASCADE, related_name="report"
    )
    produced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("核对人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    produced_at = models.DateTimeField(_("出具时间"), auto_now_add=True)
    sources = models.JSONField(_("已查询的数据源"), default=list)
    findings = models.JSONField(_("部门数据查询结果"), default=list)

    scope_path = "request__household__region__code"
    household_path = "request__household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("核对报告")
        verbose_name_plural = _("核对报告")
        ordering = ["-produced_at", "-id"]

    def __str__(self) -> str:
        return f"{self.request} · {self.produced_at:%Y-%m-%d}"


class Discrepancy(models.Model):
    """A conflict between what the family declared and what a department holds, with the finding that caused it."""

    report = models.ForeignKey(
        VerificationReport, verbose_name=_("核对报告"), on_delete=models.CASCADE, related_name="discrepancies"
    )
    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=20, choices=DiscrepancyKind.choices)
    category = models.CharField(_("核对项目"), max_length=20, choices=SourceCategory.choices)
    evidence_kind = models.CharField(_("收入/财产类别"), max_length=20, blank=True)
    declared_fen = models.BigIntegerField(_("申报金额（分）"), null=True, blank=True)
    found_fen = models.BigIntegerField(_("核对金额（分）"), null=True, blank=True)
    found_quantity = models.PositiveIntegerField(_("核对数量"), default=1)
    found_from = models.DateField(_("部门记录起始日期"))
    detail = models.CharField(_("部门记录说明"), max_length=200, blank=True)
    source = models.CharField(_("数据来源"), max_length=100, blank=True)
    description = models.CharField(_("说明"), max_length=300)
    status = models.CharField(
        _("处理状态"), max_length=16, choices=DiscrepancyStatus.choices, default=DiscrepancyStatus.OPEN
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolution_note = models.CharField(_("处理说明"), max_length=300, blank=True)
    evidence_id = models.PositiveBigIntegerField(_("新建证据编号"), null=True, blank=True)

    scope_path = "report__request__household__region__code"
    household_path = "report__request__household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("核对差异")
        verbose_name_plural = _("核对差异")
        ordering = ["report", "person", "id"]

    def __str__(self) -> str:
        return self.description
