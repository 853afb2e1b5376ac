"""Dynamic management (动态管理, [000] 三(二)4; S1 Art 30–34; S3 Art 68; S5 §1(3), §5(5)).

Review tasks (定期核查 and event-driven checks), the scans that create them, overpayment recovery (追回), credit
records (失信) and job offers (拒绝就业). Every model is scoped to the village code of its household.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager
from doudi.reviews.choices import (
    CreditReason,
    CreditSource,
    JobOfferResult,
    OverpaymentReason,
    OverpaymentStatus,
    RecoveryMethod,
    ReviewCategory,
    ReviewOutcome,
    ReviewReason,
    ReviewStatus,
    ScanState,
)

USER = settings.AUTH_USER_MODEL


class ReviewTask(models.Model):
    """One check of one entitlement. ``key`` makes a task unique per trigger: ``periodic:<due date>``,
    ``death:<person id>``, ``report:<n>``, ``discrepancy:<id>``, so a scan that runs twice finds the row it made."""

    entitlement = models.ForeignKey("benefits.Entitlement", verbose_name=_("救助待遇"), on_delete=models.PROTECT,
                                    related_name="review_tasks")
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="review_tasks")
    reason = models.CharField(_("核查原因"), max_length=12, choices=ReviewReason.choices)
    key = models.CharField(_("触发标识"), max_length=40)
    category = models.CharField(_("核查类别"), max_length=10, choices=ReviewCategory.choices, blank=True)
    cycle_months = models.PositiveSmallIntegerField(_("核查周期（月）"), null=True, blank=True)
    # Indexed with the id below (the list's order), which also serves every lookup by date.
    due_on = models.DateField(_("核查期限"))
    status = models.CharField(_("状态"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    person = models.ForeignKey("registry.Person", verbose_name=_("相关成员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("说明"), max_length=300, blank=True)
    verification_request = models.ForeignKey("verification.VerificationRequest", verbose_name=_("核对申请"),
                                             null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    evaluation = models.ForeignKey("eligibility.Evaluation", verbose_name=_("复核测算"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    outcome = models.CharField(_("核查结论"), max_length=10, choices=ReviewOutcome.choices, blank=True)
    outcome_reason = models.TextField(_("结论理由"), blank=True)
    proposed_monthly_fen = models.BigIntegerField(_("调整后月金额（分）"), null=True, blank=True)
    grace_months = models.PositiveSmallIntegerField(_("渐退月数"), null=True, blank=True)
    # A person paid past the age because of full-time schooling (事实无人抚养儿童, rules.special ``school_extension``):
    # the proof of enrolment the reviewer saw at this review (民发〔2019〕62号; national-rules §11.1).
    school_proof = models.CharField(_("在读证明"), max_length=200, blank=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("调整案件"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(USER, verbose_name=_("办理人"), null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_on = models.DateField(_("办结日期"), null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "household__region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("核查任务")
        verbose_name_plural = _("核查任务")
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["entitlement", "reason", "key"], name="review_task_once")]
        # (due_on, id): the review list's order, so a page is an index range; on due_on alone PostgreSQL read and
        # sorted every task of the first days (1 000 rows for a city's page of 50; docs/benchmarks.md, Web).
        indexes = [models.Index(fields=["status", "due_on"]),
                   models.Index(fields=["due_on", "id"], name="reviewtask_due_order")]

    def __str__(self) -> str:
        return f"{self.household} · {self.get_reason_display()} · {self.due_on}"

    @property
    def is_open(self) -> bool:
        return self.status in (ReviewStatus.OPEN, ReviewStatus.IN_PROGRESS)


class ReviewScan(models.Model):
    """Progress of one scan of one jurisdiction for one day. ``cursor`` is the last entitlement id whose tasks are
    stored, claimed by a conditional update in the same transaction as the inserts (resumable, never twice)."""

    region = models.ForeignKey("regions.Region", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField(_("扫描基准日"))
    state = models.CharField(_("状态"), max_length=8, choices=ScanState.choices, default=ScanState.RUNNING)
    cursor = models.BigIntegerField(default=0)
    total_count = models.PositiveIntegerField(_("应扫描待遇数"), default=0)
    done_count = models.PositiveIntegerField(_("已扫描待遇数"), default=0)
    created_count = models.PositiveIntegerField(_("新建任务数"), default=0)
    started_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("核查扫描")
        verbose_name_plural = _("核查扫描")
        constraints = [models.UniqueConstraint(fields=["region", "as_of"], name="review_scan_once")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.as_of} {self.done_count}/{self.total_count}"


class Overpayment(models.Model):
    """追回 (S5 §5(5); S3 Art 68): money paid for months the benefit should no longer have been paid, computed from
    the payroll lines actually paid. A fraud fine (1–3 × the amount obtained) is a separate amount."""

    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="overpayments")
    entitlement = models.ForeignKey("benefits.Entitlement", verbose_name=_("救助待遇"), on_delete=models.PROTECT,
                                    related_name="overpayments")
    review = models.ForeignKey(ReviewTask, verbose_name=_("核查任务"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="overpayments")
    reason = models.CharField(_("原因"), max_length=20, choices=OverpaymentReason.choices)
    should_stop_on = models.DateField(_("应停发日期"))
    from_month = models.DateField(_("多发起始月份"))
    months = models.JSONField(_("多发月份"), default=list)
    line_ids = models.JSONField(_("依据的发放明细"), default=list)
    due_monthly_fen = models.BigIntegerField(_("每月应发金额（分）"), default=0)
    amount_fen = models.BigIntegerField(_("应追回金额（分）"))
    recovered_fen = models.BigIntegerField(_("已追回金额（分）"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=OverpaymentStatus.choices,
                              default=OverpaymentStatus.OPEN)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    waiver_reason = models.CharField(_("核销理由"), max_length=300, blank=True)
    waiver_approved_by = models.ForeignKey(USER, verbose_name=_("核销批准人"), null=True, blank=True,
                                           on_delete=models.SET_NULL, related_name="+")
    waived_on = models.DateField(_("核销日期"), null=True, blank=True)
    # S3 Art 68: 处1倍以上3倍以下的罚款 — decided separately (public-security/civil-affairs decision document).
    fine_fen = models.BigIntegerField(_("罚款金额（分）"), null=True, blank=True)
    fine_decision_ref = models.CharField(_("处罚决定书文号"), max_length=60, blank=True)
    fine_decided_on = models.DateField(_("处罚决定日期"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "household__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("多发追回")
        verbose_name_plural = _("多发追回")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["entitlement", "from_month"], name="overpayment_once")]

    def __str__(self) -> str:
        return f"{self.household} · {self.get_reason_display()}"

    @property
    def balance_fen(self) -> int:
        if self.status == OverpaymentStatus.WAIVED:
            return 0
        return self.amount_fen - self.recovered_fen


class Recovery(models.Model):
    overpayment = models.ForeignKey(Overpayment, verbose_name=_("追回台账"), on_delete=models.PROTECT,
                                    related_name="recoveries")
    amount_fen = models.BigIntegerField(_("追回金额（分）"))
    received_on = models.DateField(_("追回日期"))
    method = models.CharField(_("方式"), max_length=10, choices=RecoveryMethod.choices)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_path = "overpayment__household__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("追回记录")
        verbose_name_plural = _("追回记录")
        ordering = ["received_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="recovery_positive")]

    def __str__(self) -> str:
        return f"{self.overpayment_id} · {self.received_on}"


class CreditRecord(models.Model):
    """社会救助失信记录 ([000] 三(二)4; S5 §5(5)). Only staff with full-record access see it: no ``household_path``,
    so applicants do not read it through the staff screens."""

    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="credit_records")
    person = models.ForeignKey("registry.Person", verbose_name=_("人员"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("失信情形"), max_length=16, choices=CreditReason.choices)
    detail = models.CharField(_("事实说明"), max_length=300)
    decided_on = models.DateField(_("认定日期"))
    period_start = models.DateField(_("失信管理起始"))
    period_end = models.DateField(_("失信管理截止"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=14, choices=CreditSource.choices)
    decision_ref = models.CharField(_("认定文书"), max_length=60, blank=True)
    review = models.ForeignKey(ReviewTask, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_path = "household__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("失信记录")
        verbose_name_plural = _("失信记录")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.household} · {self.get_reason_display()}"


class JobOffer(models.Model):
    """就业岗位推介 (S1 Art 34; S3 Art 45): three consecutive refusals without good reason → that member's share
    is reduced or stopped (through an adjustment case)."""

    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="job_offers")
    person = models.ForeignKey("registry.Person", verbose_name=_("成员"), on_delete=models.PROTECT,
                               related_name="+")
    offered_on = models.DateField(_("推介日期"))
    department = models.CharField(_("推介部门"), max_length=60)
    position = models.CharField(_("岗位"), max_length=100, blank=True)
    result = models.CharField(_("结果"), max_length=10, choices=JobOfferResult.choices)
    refusal_reason = models.CharField(_("拒绝理由"), max_length=200, blank=True)
    good_reason = models.BooleanField(_("拒绝理由正当"), default=False)
    flagged = models.BooleanField(_("连续三次无正当理由拒绝"), default=False)
    case = models.ForeignKey("cases.Case", verbose_name=_("减发案件"), null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    flag_note = models.CharField(_("处理说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_path = "household__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("就业岗位推介")
        verbose_name_plural = _("就业岗位推介")
        ordering = ["-offered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.person} · {self.offered_on} · {self.get_result_display()}"
