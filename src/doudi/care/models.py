"""特困 support arrangements, care agreements, visits (探访关爱) and the supervision of care institutions (3+1).

Every row is filed under a village (or, for an institution, the region that runs it) and scoped by that code.
The care tier is never computed here: it is the engine's ``care_tier`` for the person, read from an evaluation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager
from doudi.care.choices import (
    AgreementStatus,
    CarerKind,
    CheckLevel,
    CheckResult,
    EndReason,
    InstitutionKind,
    NeedFound,
    SupportMode,
    VisitGroup,
    VisitMethod,
)

USER = settings.AUTH_USER_MODEL
TIERS = [("complete", _("完全丧失生活自理能力")), ("partial", _("部分丧失生活自理能力")),
         ("able", _("具备生活自理能力"))]


class Institution(models.Model):
    """特困人员供养服务机构 or another care institution, filed under the region that supervises it."""

    region = models.ForeignKey("regions.Region", verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("机构名称"), max_length=100)
    kind = models.CharField(_("机构类型"), max_length=16, choices=InstitutionKind.choices)
    beds = models.PositiveIntegerField(_("床位数"), default=0)
    nursing_beds = models.PositiveIntegerField(_("护理型床位数"), default=0)
    operator = models.CharField(_("运营方"), max_length=100, blank=True)
    active = models.BooleanField(_("在运营"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("供养服务机构")
        verbose_name_plural = _("供养服务机构")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name


class SupportArrangement(models.Model):
    """How one 特困 person is supported: in an institution (which, bed, care tier) or at home, by their own choice."""

    person = models.ForeignKey("registry.Person", verbose_name=_("特困人员"), on_delete=models.PROTECT,
                               related_name="+")
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name=_("所在村（社区）"), on_delete=models.PROTECT,
                               related_name="+")
    mode = models.CharField(_("供养方式"), max_length=16, choices=SupportMode.choices)
    chosen_mode = models.CharField(_("本人选择的供养方式"), max_length=16, choices=SupportMode.choices)
    choice_note = models.CharField(_("本人意愿说明"), max_length=300, blank=True)
    institution = models.ForeignKey(Institution, verbose_name=_("供养机构"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="residents")
    bed = models.CharField(_("床位号"), max_length=20, blank=True)
    # The engine's care tier for the person on the evaluation below (S2 Art 21; rules.members ``care_tier``).
    care_tier = models.CharField(_("生活自理能力（测算结果）"), max_length=10, choices=TIERS, blank=True)
    evaluation = models.ForeignKey("eligibility.Evaluation", verbose_name=_("依据的测算"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    start_date = models.DateField(_("起始日期"))
    end_date = models.DateField(_("终止日期"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("特困供养安排")
        verbose_name_plural = _("特困供养安排")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_mode_display()}"

    @property
    def against_choice(self) -> bool:
        return self.mode != self.chosen_mode


class CareAgreement(models.Model):
    """照料服务协议 with a carer for a dispersed 特困 person ([002] 二(二)); the fee is paid by the payroll through
    the care-fee entitlement the signing creates (``entitlement``)."""

    arrangement = models.ForeignKey(SupportArrangement, verbose_name=_("供养安排"), on_delete=models.PROTECT,
                                    related_name="agreements")
    region = models.ForeignKey("regions.Region", verbose_name=_("所在村（社区）"), on_delete=models.PROTECT,
                               related_name="+")
    carer_kind = models.CharField(_("照料人类别"), max_length=16, choices=CarerKind.choices)
    carer_name = models.CharField(_("照料人（机构）"), max_length=100)
    carer_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    # The care fee is paid to the carer (a person or a service organisation), not to the 特困 person's household:
    # approval puts this account on the fee's entitlement as its payee (benefits.Entitlement.payee_*).
    carer_bank_name = models.CharField(_("照料人开户行"), max_length=100, blank=True)
    carer_bank_account = models.CharField(_("照料人账号"), max_length=40, blank=True)
    duties = models.TextField(_("照料职责"))
    visits_per_month = models.PositiveSmallIntegerField(_("每月上门照料次数"))
    monthly_fee_fen = models.BigIntegerField(_("照料护理费（分/月）"))
    start_date = models.DateField(_("协议起始日期"))
    end_date = models.DateField(_("协议终止日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=8, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT)
    entitlement = models.ForeignKey("benefits.Entitlement", verbose_name=_("照料护理费待遇"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    ended_on = models.DateField(_("实际终止日期"), null=True, blank=True)
    end_reason = models.CharField(_("终止原因"), max_length=12, choices=EndReason.choices, blank=True)
    end_note = models.CharField(_("终止说明"), max_length=300, blank=True)
    replaces = models.OneToOneField("self", verbose_name=_("接替的协议"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="replaced_by")
    signed_by = models.ForeignKey(USER, verbose_name=_("签订经办人"), null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    approved_by = models.ForeignKey(USER, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("照料服务协议")
        verbose_name_plural = _("照料服务协议")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.carer_name} · {self.arrangement.person}"

    @property
    def masked_carer_account(self) -> str:
        from doudi.core.ids import mask_account

        return mask_account(self.carer_bank_account)


class CareWarning(models.Model):
    """A warning to a carer who does not keep the agreement; the second one usually ends it ([002] 二(二))."""

    agreement = models.ForeignKey(CareAgreement, verbose_name=_("照料服务协议"), on_delete=models.CASCADE,
                                  related_name="warnings")
    warned_on = models.DateField(_("警告日期"))
    reason = models.CharField(_("警告事由"), max_length=300)
    actor = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "agreement__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("照料人警告")
        verbose_name_plural = _("照料人警告")
        ordering = ["warned_on", "id"]


class VisitTarget(models.Model):
    """A person on the visiting list (探访关爱对象) of one group, from ``since`` until ``until``."""

    person = models.ForeignKey("registry.Person", verbose_name=_("探访对象"), on_delete=models.PROTECT,
                               related_name="+")
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="+")
    region = models.ForeignKey("regions.Region", verbose_name=_("所在村（社区）"), on_delete=models.PROTECT,
                               related_name="+")
    group = models.CharField(_("对象类别"), max_length=20, choices=VisitGroup.choices)
    since = models.DateField(_("纳入日期"))
    until = models.DateField(_("退出日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("探访关爱对象")
        verbose_name_plural = _("探访关爱对象")
        ordering = ["region_id", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "group"], condition=models.Q(until__isnull=True),
                                               name="care_target_once_open")]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_group_display()}"


class CareVisit(models.Model):
    """One visit (探访) recorded on the phone: who, when, how, what was found, a photo, and the need found."""

    target = models.ForeignKey(VisitTarget, verbose_name=_("探访对象"), on_delete=models.PROTECT,
                               related_name="visits")
    region = models.ForeignKey("regions.Region", verbose_name=_("所在村（社区）"), on_delete=models.PROTECT,
                               related_name="+")
    visitor = models.ForeignKey(USER, verbose_name=_("探访人"), on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("探访日期"))
    method = models.CharField(_("探访方式"), max_length=8, choices=VisitMethod.choices, default=VisitMethod.HOME)
    findings = models.TextField(_("探访情况"))
    photo = models.FileField(_("现场照片"), upload_to="care/visits/%Y/%m/", blank=True)
    need = models.CharField(_("发现的需求"), max_length=12, choices=NeedFound.choices, blank=True)
    need_detail = models.CharField(_("需求说明"), max_length=300, blank=True)
    # What the need became, as ``app.model:id`` (a referral, a monitoring warning, a social-forces need).
    outcome_ref = models.CharField(_("需求去向"), max_length=48, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("探访记录")
        verbose_name_plural = _("探访记录")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["target", "visited_on"])]


class InstitutionCheck(models.Model):
    """One check of a care institution under the 3+1 system ([004] 六) with findings and corrective actions."""

    institution = models.ForeignKey(Institution, verbose_name=_("机构"), on_delete=models.PROTECT,
                                    related_name="checks")
    level = models.CharField(_("监管层级"), max_length=12, choices=CheckLevel.choices)
    checked_on = models.DateField(_("检查日期"))
    checker = models.ForeignKey(USER, verbose_name=_("记录人"), on_delete=models.PROTECT, related_name="+")
    checker_org = models.CharField(_("检查（评估）单位"), max_length=100, blank=True)
    result = models.CharField(_("检查结果"), max_length=8, choices=CheckResult.choices)
    findings = models.TextField(_("检查发现"), blank=True)
    corrective_actions = models.TextField(_("整改要求"), blank=True)
    rectify_by = models.DateField(_("整改期限"), null=True, blank=True)
    rectified_on = models.DateField(_("整改完成日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "institution__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("机构监管检查")
        verbose_name_plural = _("机构监管检查")
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["institution", "level", "checked_on"])]
