"""Warnings (预警) and their handling (一上一下): pushed down to the village with a deadline, visited, answered.

A warning is unique per rule, household, person and trigger (the feed row, or the period for rules over a window):
``Alert.key`` is unique and the job inserts with ``ignore_conflicts``, so re-running it never alerts twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager
from doudi.monitoring.choices import (
    Engine,
    Response,
    RunState,
    Severity,
    SuggestedResponse,
    WarningSource,
    WarningStatus,
)

USER = settings.AUTH_USER_MODEL


class MonitoringRun(models.Model):
    """One run of the matching job over one jurisdiction: export → match → store, with a cursor over the stored
    result so a crashed or interrupted run resumes where it stopped (``job.run.monitoring_run``)."""

    region = models.ForeignKey("regions.Region", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField(_("比对基准日"))
    engine = models.CharField(_("计算引擎"), max_length=8, choices=Engine.choices, default=Engine.DUCKDB)
    state = models.CharField(_("状态"), max_length=10, choices=RunState.choices, default=RunState.EXPORTING)
    workdir = models.CharField(_("工作目录"), max_length=300, blank=True)
    persons = models.PositiveIntegerField(_("比对人数"), default=0)
    records = models.PositiveIntegerField(_("部门记录数"), default=0)
    total_count = models.PositiveIntegerField(_("命中条数"), default=0)
    done_count = models.PositiveIntegerField(_("已写入条数"), default=0)
    created_count = models.PositiveIntegerField(_("新增预警"), default=0)
    cursor = models.PositiveIntegerField(default=0)
    error = models.CharField(_("错误"), max_length=300, blank=True)
    started_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("比对任务")
        verbose_name_plural = _("比对任务")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.as_of} {self.get_state_display()}"


class Alert(models.Model):
    """A warning. Its references carry no database foreign-key constraint: a province's run inserts hundreds of
    thousands at once, and a constraint's trigger per row per reference was half the time of storing. The job's
    store checks them for each chunk in one query (``job.store._check``); households, persons and regions are never
    deleted, and Django's ``PROTECT`` still guards deletes made through the ORM. Indexes only where a screen looks:
    no index by person or trigger row, and the key's unique index is its only index (no pattern index)."""

    key = models.CharField(max_length=120)
    source = models.CharField(_("来源"), max_length=10, choices=WarningSource.choices, default=WarningSource.MATCHING)
    rule_code = models.CharField(_("规则代码"), max_length=48)
    rule_title = models.CharField(_("预警事项"), max_length=100)
    severity = models.CharField(_("预警等级"), max_length=8, choices=Severity.choices)
    suggested = models.CharField(_("建议处置"), max_length=20, choices=SuggestedResponse.choices)
    deadline_days = models.PositiveSmallIntegerField(_("办理时限（工作日）"))
    basis = models.CharField(_("规则依据"), max_length=300, blank=True)
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="+", db_constraint=False)
    person = models.ForeignKey("registry.Person", verbose_name=_("相关人员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False)
    region = models.ForeignKey("regions.Region", verbose_name=_("所在村（社区）"), on_delete=models.PROTECT,
                               related_name="+", db_constraint=False)
    feed_row = models.ForeignKey("monitoring.FeedRow", verbose_name=_("触发记录"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False)
    period = models.DateField(_("所属月份"))
    measure_fen = models.BigIntegerField(_("指标值"), null=True, blank=True)
    detail = models.CharField(_("预警说明"), max_length=300, blank=True)
    health = models.BooleanField(_("涉及健康信息"), default=False)
    status = models.CharField(_("状态"), max_length=8, choices=WarningStatus.choices, default=WarningStatus.NEW)
    deadline = models.DateField(_("办理期限"), null=True, blank=True)
    pushed_at = models.DateTimeField(_("下发时间"), null=True, blank=True)
    outcome = models.CharField(_("处置结果"), max_length=10, choices=Response.choices, blank=True)
    outcome_note = models.CharField(_("处置说明"), max_length=300, blank=True)
    # What the confirmed response created, by app label and id (an application, a referral, a review task, an
    # identification); loose, so this app does not pin the other apps' models.
    outcome_ref = models.CharField(_("处置记录"), max_length=48, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # Not indexed: every index costs each of a province's warning inserts, and nobody lists warnings by these.
    closed_by = models.ForeignKey(USER, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", db_index=False)
    run = models.ForeignKey(MonitoringRun, verbose_name=_("比对任务"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+", db_index=False, db_constraint=False)
    created_at = models.DateTimeField(_("预警时间"), auto_now_add=True)

    scope_path = "region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "deadline"]),
            models.Index(fields=["rule_code", "created_at"]),
        ]
        constraints = [models.UniqueConstraint(fields=["key"], name="monitoring_alert_key_unique")]

    def __str__(self) -> str:
        return f"{self.rule_title} · {self.household_id}"


class AlertTransition(models.Model):
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("原状态"), max_length=8, blank=True, choices=WarningStatus.choices)
    to_status = models.CharField(_("新状态"), max_length=8, choices=WarningStatus.choices)
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    scope_path = "alert__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("预警流转记录")
        verbose_name_plural = _("预警流转记录")
        ordering = ["at", "id"]


class Visit(models.Model):
    """The village assistant's or grid worker's visit (入户核实) and the response they propose."""

    alert = models.ForeignKey(Alert, verbose_name=_("预警"), on_delete=models.CASCADE, related_name="visits")
    visitor = models.ForeignKey(USER, verbose_name=_("走访人"), on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("走访日期"))
    findings = models.TextField(_("核实情况"))
    proposal = models.CharField(_("处置建议"), max_length=10, choices=Response.choices)
    # The proposal's detail: the program to apply for, the need to refer, the category to identify.
    proposal_detail = models.CharField(_("建议明细"), max_length=24, blank=True)
    reason = models.CharField(_("理由"), max_length=300, blank=True)
    requested_fen = models.BigIntegerField(_("临时救助申请金额（分）"), default=0)
    signature = models.FileField(_("走访人签名"), upload_to="monitoring/signatures/%Y/%m/")
    photo = models.FileField(_("现场照片"), upload_to="monitoring/photos/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "alert__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("走访核实")
        verbose_name_plural = _("走访核实")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.alert_id} · {self.visited_on}"
