"""Monthly payroll (待遇发放), bank files, funds and price linkage ([000] 四(四); requirements §8).

A ``Payroll`` is one jurisdiction's (county or township) list of payments for one program and month. Its lines are
snapshots: amount, bank account and holder are copied when the line is generated, so registry edits after approval
never change what was approved or sent to the bank.

Exactly once: ``PayrollLine`` has a unique (entitlement, month, kind) for every kind but reissue, a second unique
(entitlement, month) over the kinds that pay the monthly benefit itself (regular / back pay / grace), and a reissue
line points at the failed line it replaces through a unique column. Generation inserts with ON CONFLICT DO NOTHING,
so no re-run, crash or concurrent operator can create a second payment for the same entitlement, month and kind.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager
from doudi.benefits.choices import program_choices
from doudi.core.ids import mask_account
from doudi.payments.choices import (
    BASE_KINDS,
    FundLevel,
    FundUse,
    GenerationState,
    LineKind,
    LineStatus,
    PayrollStatus,
)
from doudi.registry.models import AccountChangeRecord

USER = settings.AUTH_USER_MODEL


class PayeeInstitution(models.Model):
    """收款机构: an institution paid directly by a payroll instead of the person — a hospital or medical
    institution settling medical aid at discharge (一站式结算, docs/payroll.md). Its account is copied onto each line
    when the settlement payroll is made, like a household's.

    The account fields hold the *confirmed* account only: registering an institution or changing its account is a
    proposal (``PayeeAccountChange``) that a second person with change rights in the area confirms
    (``payments.payees``, the engine of ``registry.account_changes``); a settlement payroll refuses an institution
    whose account nobody has confirmed (``account_confirmed_at`` empty)."""

    region = models.ForeignKey("regions.Region", verbose_name=_("登记辖区"), on_delete=models.PROTECT,
                               related_name="+")
    name = models.CharField(_("机构名称"), max_length=100)
    bank_name = models.CharField(_("开户行"), max_length=100, blank=True)
    bank_account = models.CharField(_("账号"), max_length=40, blank=True)
    account_holder = models.CharField(_("户名"), max_length=100, blank=True)
    # Who confirmed the account the payroll pays, and when. Institutions registered before accounts took two people
    # (migration 0003) count as confirmed from their registration, with no confirming person.
    account_confirmed_by = models.ForeignKey(USER, verbose_name=_("账户复核人"), null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")
    account_confirmed_at = models.DateTimeField(_("账户复核时间"), null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("收款机构")
        verbose_name_plural = _("收款机构")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="payee_institution_once")]

    def __str__(self) -> str:
        return self.name

    @property
    def account_confirmed(self) -> bool:
        """May a payroll pay this institution: an account is on file and a second person confirmed it."""
        return bool(self.bank_account and self.account_confirmed_at)

    @property
    def masked_bank_account(self) -> str:
        return mask_account(self.bank_account)


class PayeeAccountChange(AccountChangeRecord):
    """A proposed account of a payee institution (at registration, or a later change of bank, account or holder),
    pending until a second person confirms it (``payments.payees``)."""

    institution = models.ForeignKey(PayeeInstitution, verbose_name=_("收款机构"), on_delete=models.CASCADE,
                                    related_name="account_changes")
    account_holder = models.CharField(_("账户户名"), max_length=100, blank=True)

    scope_path = "institution__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("收款机构账户变更")
        verbose_name_plural = _("收款机构账户变更")
        ordering = ["-proposed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["institution"], condition=Q(status="pending"),
                                               name="one_pending_payee_account_change")]

    def __str__(self) -> str:
        return f"{self.institution.name} · {self.masked_bank_account}"


class Payroll(models.Model):
    region = models.ForeignKey("regions.Region", verbose_name=_("发放辖区"), on_delete=models.PROTECT,
                               related_name="+")
    program = models.CharField(_("救助项目"), max_length=16, choices=program_choices)
    month = models.DateField(_("发放月份"))
    # 1 = the monthly payroll; 2, 3 … = supplementary payrolls that re-issue failed payments (补充名册).
    batch = models.PositiveSmallIntegerField(_("批次"), default=1)
    # A settlement payroll pays one institution (一站式结算 of medical aid): one per jurisdiction, institution, program
    # and month.
    institution = models.ForeignKey(PayeeInstitution, verbose_name=_("结算机构"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="payrolls")
    status = models.CharField(_("状态"), max_length=12, choices=PayrollStatus.choices, default=PayrollStatus.DRAFT)
    # Generation progress; ``cursor`` is the last entitlement id whose lines are stored (claimed by conditional
    # update in the same transaction as the insert, so a crash loses nothing and redoes nothing).
    gen_state = models.CharField(_("生成状态"), max_length=10, choices=GenerationState.choices,
                                 default=GenerationState.PENDING)
    cursor = models.BigIntegerField(default=0)
    total_count = models.PositiveIntegerField(_("应处理待遇数"), default=0)
    done_count = models.PositiveIntegerField(_("已处理待遇数"), default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    line_count = models.PositiveIntegerField(_("发放笔数"), default=0)
    total_fen = models.BigIntegerField(_("发放总额（分）"), default=0)
    price_triggered = models.BooleanField(_("触发物价联动"), default=False)
    created_by = models.ForeignKey(USER, verbose_name=_("制单人"), null=True, on_delete=models.PROTECT,
                                   related_name="+")
    reviewed_by = models.ForeignKey(USER, verbose_name=_("审核人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_by = models.ForeignKey(USER, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    exported_at = models.DateTimeField(_("导出时间"), null=True, blank=True)
    reconciled_at = models.DateTimeField(_("对账时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("发放名册")
        verbose_name_plural = _("发放名册")
        ordering = ["-month", "region_id", "program"]
        constraints = [
            models.UniqueConstraint(fields=["region", "program", "month", "batch"], condition=Q(institution=None),
                                    name="payroll_once"),
            models.UniqueConstraint(fields=["region", "institution", "program", "month", "batch"],
                                    condition=Q(institution__isnull=False), name="payroll_institution_once"),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.month:%Y-%m} {self.get_program_display()}"

    @property
    def frozen(self) -> bool:
        return self.status != PayrollStatus.DRAFT


class PayrollLine(models.Model):
    # FK indexes are left out where a composite index below starts with the same column: every index costs time on
    # a million-line insert (docs/benchmarks.md, Payroll).
    payroll = models.ForeignKey(Payroll, verbose_name=_("发放名册"), on_delete=models.PROTECT, related_name="lines",
                                db_index=False)
    entitlement = models.ForeignKey("benefits.Entitlement", verbose_name=_("救助待遇"), on_delete=models.PROTECT,
                                    related_name="payroll_lines", db_index=False)
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="+", db_index=False)
    person = models.ForeignKey("registry.Person", verbose_name=_("救助对象"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+", db_index=False)
    region_code = models.CharField(_("村（社区）代码"), max_length=12, db_index=True)
    program = models.CharField(_("救助项目"), max_length=16, choices=program_choices)
    month = models.DateField(_("所属月份"))  # the benefit month this pays (for 补发 an earlier month)
    kind = models.CharField(_("类别"), max_length=10, choices=LineKind.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    persons = models.PositiveSmallIntegerField(_("保障人数"), default=1)
    standard_fen = models.BigIntegerField(_("适用标准（分）"), null=True, blank=True)
    policy_version = models.CharField(_("政策版本"), max_length=16, blank=True)
    bank_name = models.CharField(_("开户行"), max_length=100, blank=True)
    bank_account = models.CharField(_("账号"), max_length=40, blank=True)
    account_holder = models.CharField(_("户名"), max_length=50, blank=True)
    reference = models.CharField(_("流水号"), max_length=40, unique=True)
    status = models.CharField(_("发放状态"), max_length=8, choices=LineStatus.choices, default=LineStatus.PENDING)
    fail_reason = models.CharField(_("失败原因"), max_length=200, blank=True)
    reissue_of = models.ForeignKey("self", verbose_name=_("重发的原失败记录"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="reissues", db_index=False)
    # 扣回: part of the benefit withheld towards a recovery (``Deduction``); ``amount_fen`` is what is paid after it.
    deducted_fen = models.BigIntegerField(_("扣回金额（分）"), default=0)
    deduction = models.ForeignKey("Deduction", verbose_name=_("扣回安排"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="lines", db_index=False)

    scope_path = "region_code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("发放明细")
        verbose_name_plural = _("发放明细")
        constraints = [
            models.UniqueConstraint(fields=["entitlement", "month", "kind"],
                                    condition=~Q(kind__in=[LineKind.REISSUE, LineKind.SETTLEMENT]),
                                    name="payline_once_per_kind"),
            # a settlement payroll pays one institution: one line per person in it
            models.UniqueConstraint(fields=["payroll", "entitlement"], condition=Q(kind=LineKind.SETTLEMENT),
                                    name="payline_settlement_once"),
            models.UniqueConstraint(fields=["entitlement", "month"], condition=Q(kind__in=BASE_KINDS),
                                    name="payline_base_once"),
            # A failed line is re-issued at most once (the reissue may itself fail and be re-issued in turn).
            models.UniqueConstraint(fields=["reissue_of"], condition=Q(reissue_of__isnull=False),
                                    name="payline_reissue_once"),
        ]
        indexes = [models.Index(fields=["payroll", "status"]), models.Index(fields=["household", "month"]),
                   # The payroll page's order (by village, then line): a page is a range of this index. Without it
                   # PostgreSQL walked the region-code index of every payroll's lines (28 000 rows for a township's
                   # 1 000) and sorted: ~50 ms of database CPU per page at a million households (docs/benchmarks.md).
                   models.Index(fields=["payroll", "region_code", "id"], name="payline_payroll_order"),
                   # few lines withhold anything: a partial index keeps the million-line insert fast
                   models.Index(fields=["deduction"], condition=Q(deduction__isnull=False), name="payline_deduction")]

    def __str__(self) -> str:
        return self.reference

    @property
    def masked_bank_account(self) -> str:
        """The account this line is paid to (the household's, or a carer's), last four digits only."""
        from doudi.core.ids import mask_account

        return mask_account(self.bank_account)


class BankReturn(models.Model):
    """One imported bank return file (回盘文件); the per-line outcome is written onto the lines."""

    payroll = models.ForeignKey(Payroll, on_delete=models.PROTECT, related_name="returns")
    filename = models.CharField(_("文件名"), max_length=200)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    paid_fen = models.BigIntegerField(_("成功金额（分）"), default=0)
    failed_fen = models.BigIntegerField(_("失败金额（分）"), default=0)
    imported_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    scope_path = "payroll__region__code"
    objects = RestrictedManager()


class PassbookAgreement(models.Model):
    """代管协议: a village keeps a recipient's passbook or card under a written, filed agreement (S1 Art 26)."""

    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="+")
    village = models.ForeignKey("regions.Region", verbose_name=_("代管村（社区）"), on_delete=models.PROTECT,
                                related_name="+")
    agreement_date = models.DateField(_("协议日期"))
    file_ref = models.CharField(_("备案编号"), max_length=60)
    custodian = models.CharField(_("代管人"), max_length=50, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "household__region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("存折代管协议")
        verbose_name_plural = _("存折代管协议")


class FundSource(models.Model):
    """Budget money received by a jurisdiction in a year from one level of government or from donations."""

    region = models.ForeignKey("regions.Region", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    level = models.CharField(_("资金来源"), max_length=12, choices=FundLevel.choices)
    document = models.CharField(_("下达文号"), max_length=100, blank=True)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("资金来源")
        verbose_name_plural = _("资金来源")


class Allocation(models.Model):
    source = models.ForeignKey(FundSource, verbose_name=_("资金来源"), on_delete=models.PROTECT,
                               related_name="allocations")
    use = models.CharField(_("用途"), max_length=20, choices=FundUse.choices)
    amount_fen = models.BigIntegerField(_("金额（分）"))
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "source__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("资金分配")
        verbose_name_plural = _("资金分配")


class PriceIndex(models.Model):
    """Monthly CPI and food CPI, year on year, in basis points (3.5 % → 350), for price linkage (物价联动)."""

    region = models.ForeignKey("regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"))
    cpi_yoy_bp = models.IntegerField(_("CPI同比涨幅（基点）"))
    food_cpi_yoy_bp = models.IntegerField(_("食品CPI同比涨幅（基点）"))
    source = models.CharField(_("数据来源"), max_length=100, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("价格指数")
        verbose_name_plural = _("价格指数")
        constraints = [models.UniqueConstraint(fields=["region", "month"], name="priceindex_once")]


class OneOffSubsidy(models.Model):
    """A one-off extra subsidy by decision: an amount per person for every recipient of a program in a month."""

    region = models.ForeignKey("regions.Region", verbose_name=_("辖区"), on_delete=models.PROTECT, related_name="+")
    program = models.CharField(_("救助项目"), max_length=16, choices=program_choices)
    month = models.DateField(_("发放月份"))
    per_person_fen = models.BigIntegerField(_("每人金额（分）"))
    decision_ref = models.CharField(_("决定文号"), max_length=100)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("一次性补助决定")
        verbose_name_plural = _("一次性补助决定")
        constraints = [models.UniqueConstraint(fields=["region", "program", "month"], name="oneoff_once")]


class Deduction(models.Model):
    """从后续救助金中扣回 (S5 §5(5)): money to withhold from an entitlement's coming payments towards a recovery. The
    payroll applies it line by line (``payments.deductions``); what is left is ``amount_fen`` less the generated
    lines' ``deducted_fen`` (a reissue carries its line's, not counted again), so a reset draft gives the withheld
    money back by itself."""

    entitlement = models.ForeignKey("benefits.Entitlement", verbose_name=_("救助待遇"), on_delete=models.PROTECT,
                                    related_name="deductions")
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="+")
    amount_fen = models.BigIntegerField(_("应扣回总额（分）"))
    monthly_max_fen = models.BigIntegerField(_("每月最多扣回（分）"))
    source = models.CharField(_("依据"), max_length=60)  # e.g. the recovery ledger: "追回台账#12"
    # 撤销 (``deductions.deduction_cancel``): by a second person with the right to decide, with a reason; or when the
    # recovery ledger is closed (waived or recovered by other means), so the payroll never withholds a settled debt.
    cancelled = models.BooleanField(_("已撤销"), default=False)
    cancelled_by = models.ForeignKey(USER, verbose_name=_("撤销人"), null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    cancelled_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("撤销理由"), max_length=200, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "household__region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("扣回安排")
        verbose_name_plural = _("扣回安排")
