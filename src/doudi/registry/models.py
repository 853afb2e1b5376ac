"""The household registry (家庭台账): households, persons, dated membership and dated evidence.

Every fact that changes over time has ``valid_from`` / ``valid_to`` (inclusive; open end = still true), so a
household can be reconstructed as of any date (``selectors.household_snapshot``). Evidence hangs off the person it is
about, so it follows the person when they move household.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager, RestrictedQuerySet
from doudi.core.ids import mask_account, mask_resident_id
from doudi.regions.choices import AreaType
from doudi.registry.choices import (
    AccountChangeSource,
    AccountChangeStatus,
    AssetKind,
    CircumstanceKind,
    DisabilityType,
    EmploymentStatus,
    EvidenceSource,
    ExpenseKind,
    IncomeKind,
    Relationship,
    SchoolLevel,
    Sex,
    WorkAbilityLevel,
)


class DatedQuerySet(RestrictedQuerySet):
    def as_of(self, day: dt.date):
        return self.filter(Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day)))

    def overlapping(self, start: dt.date, end: dt.date):
        return self.filter(Q(valid_from__lte=end) & (Q(valid_to__isnull=True) | Q(valid_to__gte=start)))


class Household(models.Model):
    number = models.CharField(_("户编号"), max_length=24, unique=True)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("居住村（社区）"), on_delete=models.PROTECT, related_name="households"
    )
    hukou_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("户籍地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("与居住地不同时填写（人户分离）"),
    )
    has_residence_permit = models.BooleanField(_("持居住证"), default=False)
    address = models.CharField(_("住址"), max_length=200)
    area_type = models.CharField(_("城乡类别"), max_length=5, choices=AreaType.choices)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    bank_name = models.CharField(_("开户银行"), max_length=100, blank=True)
    bank_account = models.CharField(_("银行账号"), max_length=40, blank=True)
    account_holder = models.CharField(_("账户户名"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    scope_path = "region__code"
    household_path = "id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("家庭")
        verbose_name_plural = _("家庭")
        ordering = ["number"]
        # The household list's order within a jurisdiction (a range of village codes): keyset pages are range scans.
        indexes = [models.Index(fields=["region", "number"], name="household_region_number")]

    def __str__(self) -> str:
        return self.number

    @property
    def masked_bank_account(self) -> str:
        return mask_account(self.bank_account)


class AccountChangeRecord(models.Model):
    """The shape of every two-person change of an account money is paid into (issue 9): a household's 发放账户
    (``BankAccountChange``) and a payee institution's 收款账户 (``payments.PayeeAccountChange``). One person proposes
    the complete new account, a second person confirms it, and only then does the owner carry it
    (``registry.account_changes``: the one engine both use). A concrete record adds the foreign key to its owner with
    ``related_name="account_changes"`` and a partial unique constraint: one pending change per owner."""

    bank_name = models.CharField(_("开户银行"), max_length=100, blank=True)
    bank_account = models.CharField(_("银行账号"), max_length=40, blank=True)
    account_holder = models.CharField(_("账户户名"), max_length=50, blank=True)
    effective_on = models.DateField(_("变更日期"))
    document = models.CharField(_("变更依据"), max_length=200)
    status = models.CharField(_("状态"), max_length=12, choices=AccountChangeStatus.choices,
                              default=AccountChangeStatus.PENDING)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提交人"), on_delete=models.PROTECT,
                                    related_name="+")
    proposed_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("复核人"), on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    note = models.CharField(_("复核意见"), max_length=500, blank=True)

    class Meta:
        abstract = True

    @property
    def masked_bank_account(self) -> str:
        return mask_account(self.bank_account)


class BankAccountChange(AccountChangeRecord):
    """A proposed change of a household's payment account (发放账户). It takes effect only when a second person
    confirms it (``registry.account_changes``); until then the household keeps, and the payroll pays, the confirmed
    account on ``Household``."""

    household = models.ForeignKey(Household, verbose_name=_("家庭"), on_delete=models.CASCADE,
                                  related_name="account_changes")
    source = models.CharField(_("来源"), max_length=10, choices=AccountChangeSource.choices)

    scope_path = "household__region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("发放账户变更")
        verbose_name_plural = _("发放账户变更")
        ordering = ["-proposed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["household"], condition=Q(status="pending"),
                                               name="one_pending_account_change")]

    def __str__(self) -> str:
        return f"{self.household.number} · {self.masked_bank_account}"


class Person(models.Model):
    id_number = models.CharField(_("身份证号码"), max_length=18, unique=True)
    name = models.CharField(_("姓名"), max_length=50)
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("出生日期"))
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    date_of_death = models.DateField(_("死亡日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    person_path = "id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_resident_id(self.id_number)

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years


class Membership(models.Model):
    """A person belongs to a household over a period. Whether they *count* is a rule (rules.household)."""

    household = models.ForeignKey(
        Household, verbose_name=_("家庭"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="memberships")
    relationship = models.CharField(_("与户主关系"), max_length=16, choices=Relationship.choices)
    lives_together = models.BooleanField(_("长期共同居住"), default=True)
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)

    scope_path = "household__region__code"
    household_path = "household_id"
    objects = RestrictedManager.from_queryset(DatedQuerySet)()

    class Meta:
        verbose_name = _("家庭成员")
        verbose_name_plural = _("家庭成员")
        ordering = ["household", "valid_from", "id"]
        indexes = [models.Index(fields=["person", "valid_from"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_relationship_display()}"


class Evidence(models.Model):
    """Base for dated facts about a person. ``source`` says where the fact came from (declared, verified…)."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.CASCADE, related_name="+")
    valid_from = models.DateField(_("起始日期"))
    valid_to = models.DateField(_("终止日期"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=EvidenceSource.choices, default=EvidenceSource.DECLARED)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    person_path = "person_id"
    # A fact that began after the person left a household is not shown to that household's area (issue 9).
    fact_date_path = "valid_from"
    objects = RestrictedManager.from_queryset(DatedQuerySet)()

    class Meta:
        abstract = True
        ordering = ["person", "valid_from", "id"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} · {self.valid_from}"


class Income(Evidence):
    kind = models.CharField(_("收入类别"), max_length=20, choices=IncomeKind.choices)
    monthly_fen = models.BigIntegerField(_("月均金额（分）"))

    class Meta(Evidence.Meta):
        verbose_name = _("收入")
        verbose_name_plural = _("收入")


class Employment(Evidence):
    status = models.CharField(_("就业状态"), max_length=16, choices=EmploymentStatus.choices)
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)

    class Meta(Evidence.Meta):
        verbose_name = _("就业")
        verbose_name_plural = _("就业")


class Expense(Evidence):
    kind = models.CharField(_("支出类别"), max_length=16, choices=ExpenseKind.choices)
    monthly_fen = models.BigIntegerField(_("月均金额（分）"))

    class Meta(Evidence.Meta):
        verbose_name = _("刚性支出")
        verbose_name_plural = _("刚性支出")


class Asset(Evidence):
    kind = models.CharField(_("财产类别"), max_length=20, choices=AssetKind.choices)
    value_fen = models.BigIntegerField(_("价值（分）"), default=0)
    quantity = models.PositiveIntegerField(_("数量"), default=1)
    description = models.CharField(_("说明"), max_length=200, blank=True)
    exempt = models.BooleanField(_("生产生活必需（可豁免）"), default=False)

    class Meta(Evidence.Meta):
        verbose_name = _("财产")
        verbose_name_plural = _("财产")


class Disability(Evidence):
    type = models.CharField(_("残疾类别"), max_length=16, choices=DisabilityType.choices)
    grade = models.PositiveSmallIntegerField(_("残疾等级"), choices=[(g, f"{g}级") for g in (1, 2, 3, 4)])

    class Meta(Evidence.Meta):
        verbose_name = _("残疾")
        verbose_name_plural = _("残疾")


class Illness(Evidence):
    diagnosis = models.CharField(_("疾病名称"), max_length=100)
    serious = models.BooleanField(_("重特大疾病"), default=False)
    chronic = models.BooleanField(_("门诊慢特病"), default=False)

    class Meta(Evidence.Meta):
        verbose_name = _("疾病")
        verbose_name_plural = _("疾病")


class SelfCareAssessment(Evidence):
    """The six activities of S2 Art 21; True means the person can do it unaided."""

    eating = models.BooleanField(_("自主吃饭"), default=True)
    dressing = models.BooleanField(_("穿衣"), default=True)
    bed_transfer = models.BooleanField(_("上下床"), default=True)
    toileting = models.BooleanField(_("如厕"), default=True)
    indoor_walking = models.BooleanField(_("室内行走"), default=True)
    bathing = models.BooleanField(_("洗澡"), default=True)

    ACTIVITIES = ("eating", "dressing", "bed_transfer", "toileting", "indoor_walking", "bathing")

    class Meta(Evidence.Meta):
        verbose_name = _("生活自理能力评估")
        verbose_name_plural = _("生活自理能力评估")

    @property
    def failed_count(self) -> int:
        return sum(1 for a in self.ACTIVITIES if not getattr(self, a))


class WorkAbility(Evidence):
    level = models.CharField(_("劳动能力"), max_length=8, choices=WorkAbilityLevel.choices)

    class Meta(Evidence.Meta):
        verbose_name = _("劳动能力")
        verbose_name_plural = _("劳动能力")


class Schooling(Evidence):
    level = models.CharField(_("学段"), max_length=16, choices=SchoolLevel.choices)
    full_time = models.BooleanField(_("全日制"), default=True)
    school = models.CharField(_("学校"), max_length=100, blank=True)

    class Meta(Evidence.Meta):
        verbose_name = _("在校就读")
        verbose_name_plural = _("在校就读")


class Circumstance(Evidence):
    kind = models.CharField(_("情形"), max_length=20, choices=CircumstanceKind.choices)

    class Meta(Evidence.Meta):
        verbose_name = _("特殊情形")
        verbose_name_plural = _("特殊情形")


class SupportObligation(Evidence):
    """``supporter`` is legally obliged to support ``person`` (赡养、抚养、扶养义务人), living together or not."""

    supporter = models.ForeignKey(
        Person, verbose_name=_("法定义务人"), on_delete=models.PROTECT, related_name="supports"
    )
    relationship = models.CharField(_("关系"), max_length=16, choices=Relationship.choices)

    class Meta(Evidence.Meta):
        verbose_name = _("法定赡养抚养扶养义务人")
        verbose_name_plural = _("法定赡养抚养扶养义务人")


EVIDENCE_MODELS: tuple[type[Evidence], ...] = (
    Income,
    Employment,
    Expense,
    Asset,
    Disability,
    Illness,
    SelfCareAssessment,
    WorkAbility,
    Schooling,
    Circumstance,
    SupportObligation,
)
