"""One-window intake to decision (一门受理、协同办理).

One application (一证一书) opens one case per requested program; every case moves through an explicit transition
table (``workflow.py``) and every move leaves a ``Transition`` row. Scoped by the village the case is handled in
(``Case.region``): the place of residence/registration, or for temporary assistance the place of the emergency.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager
from doudi.benefits.choices import program_choices
from doudi.cases.choices import (
    AppealKind,
    AttachmentKind,
    AuthorityLevel,
    CaseKind,
    Channel,
    DecisionOutcome,
    InvestigationKind,
    Place,
    State,
    Workflow,
)

USER = settings.AUTH_USER_MODEL


class LocalitySetting(models.Model):
    """Region-level choices a county or township makes (nearest ancestor wins; see ``selectors.locality``)."""

    region = models.OneToOneField("regions.Region", verbose_name=_("区划"), on_delete=models.CASCADE, primary_key=True)
    # S1 Art 2; S4 item 24: confirmation may be delegated to the township; the time limits differ (S5 §4(1)).
    township_confirms = models.BooleanField(_("审核确认权限下放乡镇"), default=False)
    # The township's temporary-assistance approval limit and the 一事一议 threshold (S6 §2(2)–(3)) are policy values
    # with their sources: the profile's ``temporary.township_limit`` / ``temporary.case_conference_above``
    # (``selectors.temporary_limits``), changed as dated policy values, not here.

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("地方办理设置")
        verbose_name_plural = _("地方办理设置")

    def __str__(self) -> str:
        return str(self.region)


class Application(models.Model):
    number = models.CharField(_("申请编号"), max_length=24, unique=True)
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        "registry.Person", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("受理村（社区）"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("申请渠道"), max_length=16, choices=Channel.choices)
    place = models.CharField(_("申请地"), max_length=12, choices=Place.choices, default=Place.HUKOU)
    programs = models.JSONField(_("申请项目"), default=list)
    special_needs = models.JSONField(_("专项救助需求"), default=list, blank=True)
    commitment_signed = models.BooleanField(_("已签署告知承诺书"), default=False)
    entrustment = models.CharField(_("委托代办记录"), max_length=200, blank=True)
    missing_items = models.JSONField(_("一次性告知补正材料"), default=list, blank=True)
    statement = models.TextField(_("申请事由"), blank=True)
    relatives_flag = models.BooleanField(_("近亲属备案对象"), default=False)
    relatives_note = models.CharField(_("近亲属备案说明"), max_length=200, blank=True)
    feedback = models.CharField(_("办理反馈"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(
        USER, verbose_name=_("提交人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    scope_path = "region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("救助申请")
        verbose_name_plural = _("救助申请")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return self.number


class Feedback(models.Model):
    """一门反馈 (多线受理、一门反馈, [003]): every message sent back to the applicant, kept in order.
    ``Application.feedback`` holds only the latest line; this is the history the applicant reads."""

    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.CASCADE, related_name="feedback_items"
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("案件"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="feedback_items",
    )
    text = models.CharField(_("反馈内容"), max_length=300)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    scope_path = "application__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("办理反馈")
        verbose_name_plural = _("办理反馈")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return self.text


def _attachment_path(instance: Attachment, filename: str) -> str:
    # A random name on disk: the original name (which may hold a person's name) is kept only in the row.
    suffix = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/heic": ".heic"}
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}{suffix.get(instance.content_type, '')}"


class Attachment(models.Model):
    """A supporting document (证明材料) for an application: uploaded from the applicant's phone or at the window.

    Stored under MEDIA_ROOT, which is never served publicly; it is read only through the scoped, audited download
    view (S3 Art 61: personal information learned in assistance work stays confidential)."""

    application = models.ForeignKey(
        Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="attachments"
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="attachments",
    )
    kind = models.CharField(_("材料类型"), max_length=16, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    size = models.PositiveIntegerField(_("大小（字节）"))
    content_type = models.CharField(_("文件格式"), max_length=40)
    # The one-time-notice item (一次性告知) this upload answers, if any; the township still confirms it.
    supplies_item = models.CharField(_("补正材料"), max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        USER, verbose_name=_("上传人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    scope_path = "application__region__code"
    household_path = "application__household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"


class Case(models.Model):
    application = models.ForeignKey(Application, verbose_name=_("申请"), on_delete=models.PROTECT, related_name="cases")
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("办理村（社区）"), on_delete=models.PROTECT, related_name="+"
    )
    program = models.CharField(_("救助项目"), max_length=16, choices=program_choices)
    kind = models.CharField(_("业务类型"), max_length=20, choices=CaseKind.choices, default=CaseKind.NEW)
    workflow = models.CharField(_("流程"), max_length=12, choices=Workflow.choices)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.SUBMITTED)
    authority_level = models.CharField(_("审核确认层级"), max_length=10, choices=AuthorityLevel.choices)
    entitlement = models.ForeignKey(
        "benefits.Entitlement",
        verbose_name=_("救助待遇"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    proposed_monthly_fen = models.BigIntegerField(_("调整后月金额（分）"), null=True, blank=True)
    # A 渐退 case (kind grace) carries the evaluation in which the engine granted the period; approval applies that
    # period (rules.grace: start, N months, last paid month = start + N − 1), never one typed by hand.
    evaluation = models.ForeignKey("eligibility.Evaluation", verbose_name=_("测算"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    # Maker-checker for money (services.amounts): a second approver confirms an amount above the engine's, or an
    # adjustment above the profile's threshold, with a reason.
    amount_confirmed_by = models.ForeignKey(USER, verbose_name=_("金额确认人"), null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="+")
    amount_confirmed_reason = models.CharField(_("金额确认理由"), max_length=300, blank=True)
    amount_confirmed_at = models.DateTimeField(_("金额确认时间"), null=True, blank=True)
    special_extension = models.BooleanField(_("特殊情况延长（45个工作日）"), default=False)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    verification_requested_on = models.DateField(_("申请核对日期"), null=True, blank=True)
    verification_completed_on = models.DateField(_("核对完成日期"), null=True, blank=True)
    verification_summary = models.CharField(_("核对结果"), max_length=300, blank=True)
    step_due = models.DateField(_("本环节期限"), null=True, blank=True)
    overall_due = models.DateField(_("办结期限"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("救助案件")
        verbose_name_plural = _("救助案件")
        ordering = ["-created_at", "-id"]
        # The second serves the case list's order (next step due first; keyset paging, docs/benchmarks.md, Web).
        indexes = [
            models.Index(fields=["state", "step_due"]),
            models.Index(fields=["step_due", "-id"], name="case_step_due_id"),
        ]

    def __str__(self) -> str:
        return f"{self.application.number}-{self.pk} {self.get_program_display()}"


class Transition(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(_("原状态"), max_length=20, choices=State.choices)
    to_state = models.CharField(_("新状态"), max_length=20, choices=State.choices)
    actor = models.ForeignKey(USER, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("说明"), max_length=500, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    # The step's deadline set on entering ``to_state`` (``services.deadlines``, from the profile's procedure.*
    # values), kept so that the time each step took can be measured against its limit (statistics, issue 11).
    step_due = models.DateField(_("本环节期限"), null=True, blank=True)
    on = models.DateField(_("办理日期"), null=True, blank=True)  # the step's working day (``at`` is the clock time)

    scope_path = "case__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("流转记录")
        verbose_name_plural = _("流转记录")
        ordering = ["at", "id"]


class Investigation(models.Model):
    """S1 Art 16: at least two investigators; the form is signed by them and the family members present."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="investigations")
    kind = models.CharField(_("方式"), max_length=12, choices=InvestigationKind.choices)
    visited_on = models.DateField(_("调查日期"))
    # Before investigators were accounts (2026-11): the names typed on the form, with the paper form's signatures.
    # Kept as recorded; new investigations sign in ``InvestigationSignature`` instead and leave this empty.
    legacy_investigators = models.JSONField(_("调查人员（原手填姓名）"), default=list, blank=True)
    family_signed = models.BooleanField(_("在场家庭成员已签字"), default=False)
    by_county = models.BooleanField(_("县级入户核查"), default=False)
    remote_reason = models.CharField(_("非接触调查原因"), max_length=200, blank=True)
    findings = models.TextField(_("调查情况"), blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("录入人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_path = "case__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("调查记录")
        verbose_name_plural = _("调查记录")
        ordering = ["visited_on", "id"]


class InvestigationSignature(models.Model):
    """One investigator of an investigation, a user of the platform, and when they signed it (S1 Art 16: at least two
    investigators, each signs). Each investigator signs for themselves; the one who records it signs at once."""

    investigation = models.ForeignKey(
        Investigation, verbose_name=_("调查记录"), on_delete=models.CASCADE, related_name="signatures"
    )
    investigator = models.ForeignKey(USER, verbose_name=_("调查人员"), on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("签字时间"), null=True, blank=True)

    scope_path = "investigation__case__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("调查人员签字")
        verbose_name_plural = _("调查人员签字")
        ordering = ["investigation", "id"]
        constraints = [
            models.UniqueConstraint(fields=["investigation", "investigator"], name="one_signature_per_investigator")
        ]


class PublicNotice(models.Model):
    """National-rules §7: only name, household size, amount, category and village — nothing else is stored here."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="notices")
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("公示村（社区）"), on_delete=models.PROTECT, related_name="+"
    )
    display_name = models.CharField(_("申请人姓名"), max_length=50)
    household_size = models.PositiveSmallIntegerField(_("家庭人数"))
    amount_fen = models.BigIntegerField(_("拟保障金额（分）"), null=True, blank=True)
    category = models.CharField(_("类别"), max_length=40)
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示结束"))
    withdrawn = models.BooleanField(_("已撤下"), default=False)

    scope_path = "case__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["-starts_on", "id"]


class Objection(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="objections")
    notice = models.ForeignKey(
        PublicNotice, verbose_name=_("公示"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("异议内容"))
    resolution = models.TextField(_("处理结果"), blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("录入人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_path = "case__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")


class DemocraticAppraisal(models.Model):
    """民主评议: only after an objection (S1 Art 19 ¶2; S4 item 24) — hence the required ``objection``."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="appraisals")
    objection = models.ForeignKey(Objection, verbose_name=_("针对的异议"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("评议日期"))
    participants = models.PositiveSmallIntegerField(_("参加人数"))
    result = models.TextField(_("评议结果"))

    scope_path = "case__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("民主评议")
        verbose_name_plural = _("民主评议")


class Decision(models.Model):
    case = models.OneToOneField(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("结论"), max_length=8, choices=DecisionOutcome.choices)
    decided_on = models.DateField(_("决定日期"))
    decided_by = models.ForeignKey(
        USER, verbose_name=_("决定人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    monthly_fen = models.BigIntegerField(_("月救助金额（分）"), null=True, blank=True)
    covered_members = models.PositiveSmallIntegerField(_("保障人数"), default=0)
    start_month = models.DateField(_("起始月份"), null=True, blank=True)
    reasons = models.JSONField(_("理由"), default=list)
    evaluation = models.ForeignKey(
        "eligibility.Evaluation",
        verbose_name=_("依据的测算"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notice_due = models.DateField(_("书面通知期限"), null=True, blank=True)
    notice_issued_on = models.DateField(_("书面通知送达日期"), null=True, blank=True)
    # 文号 of the written notice, e.g. 海民救〔2026〕12号: the issuing unit's sequence of the year (DocumentSequence).
    document_number = models.CharField(_("文号"), max_length=60, blank=True)

    scope_path = "case__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("审核确认决定")
        verbose_name_plural = _("审核确认决定")


class Appeal(models.Model):
    """S1 Art 38: the applicant may seek administrative review or bring an administrative suit."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="appeals")
    kind = models.CharField(_("类型"), max_length=12, choices=AppealKind.choices)
    filed_on = models.DateField(_("提起日期"))
    body = models.CharField(_("受理机关"), max_length=100)
    outcome = models.CharField(_("结果"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        USER, verbose_name=_("录入人"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    scope_path = "case__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("复议诉讼")
        verbose_name_plural = _("复议诉讼")


class DocumentSequence(models.Model):
    """The last 文号 a unit (the region acting on paper: township or county) issued in a year; taken under a row
    lock so two decisions never share a number and none is skipped."""

    issuer = models.ForeignKey("regions.Region", verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    last = models.PositiveIntegerField(_("已用序号"), default=0)

    scope_path = "issuer__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("文号序列")
        verbose_name_plural = _("文号序列")
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="document_sequence_once")]

    def __str__(self) -> str:
        return f"{self.issuer_id} {self.year} {self.last}"
