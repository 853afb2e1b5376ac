"""Who receives which benefit, from when, at what monthly amount (在保对象).

An entitlement is created by a decision (the case workflow) and read by the payroll. This first version holds the
current recipients; the case workflow and monthly payroll build on it.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager
from doudi.benefits.choices import EntitlementStatus, program_choices


class Entitlement(models.Model):
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="entitlements"
    )
    # Set for benefits that belong to one person (特困, 单人户); empty for a whole-household 低保.
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("救助对象"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="entitlements",
    )
    program = models.CharField(_("救助项目"), max_length=16, choices=program_choices)
    status = models.CharField(_("状态"), max_length=12, choices=EntitlementStatus.choices, default="active")
    monthly_fen = models.BigIntegerField(_("月救助金额（分）"))
    covered_members = models.PositiveSmallIntegerField(_("保障人数"), default=1)
    start_month = models.DateField(_("起始月份"))
    end_month = models.DateField(_("终止月份"), null=True, blank=True)
    evaluation = models.ForeignKey(
        "eligibility.Evaluation", verbose_name=_("依据的测算"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # The evaluation basis the payroll recomputes the amount from when a standard changes (payments app). Empty
    # basis → the payroll pays ``monthly_fen`` as decided. 低保 差额: standard(area, month) × counted members −
    # countable income, half up to the yuan; 特困: basic living (standard × multiple) + care by ``care_level``.
    basis_area = models.CharField(_("测算城乡类别"), max_length=5, blank=True, choices=[("urban", _("城市")),
                                                                                  ("rural", _("农村"))])
    basis_members = models.PositiveSmallIntegerField(_("测算计入人数"), null=True, blank=True)
    basis_income_fen = models.BigIntegerField(_("测算可计算月收入（分）"), null=True, blank=True)
    basis_care_level = models.CharField(
        _("生活自理能力（特困照料）"), max_length=10, blank=True,
        choices=[("complete", _("完全丧失")), ("partial", _("部分丧失")), ("able", _("具备"))],
    )
    # The engine's amount for this basis under the parameters of the decision. The payroll pays ``monthly_fen``
    # moved only by ``entitlement_amount(basis, month paid) − basis_amount_fen`` (a dated standard rise the engine
    # re-applies); empty on entitlements decided before it was stored (then the basis is recomputed as before).
    basis_amount_fen = models.BigIntegerField(_("决定时测算金额（分）"), null=True, blank=True)
    # 渐退 with memory (S1 Art 33; rules.grace): when and why income rose, and the period the engine granted —
    # fed back into every later evaluation (``eligibility.adapter``) so the months are never granted again. Paid at
    # ``monthly_fen`` through ``grace_end_month`` = start + N − 1 (the engine's last paid month), then stops.
    income_rose_on = models.DateField(_("收入增加日期"), null=True, blank=True)
    income_rise_reason = models.CharField(_("收入增加原因"), max_length=20, blank=True)
    grace_start_month = models.DateField(_("渐退起始月份"), null=True, blank=True)
    grace_months = models.PositiveSmallIntegerField(_("渐退月数"), null=True, blank=True)
    grace_end_month = models.DateField(_("渐退最后发放月份"), null=True, blank=True)
    # Paid to someone other than the household (the carer of a care agreement, doudi.care): the payroll pays this
    # account instead of the household's; the line still names the person it is for. Empty → the household.
    payee_name = models.CharField(_("收款人"), max_length=50, blank=True)
    payee_bank_name = models.CharField(_("收款人开户行"), max_length=100, blank=True)
    payee_bank_account = models.CharField(_("收款人账号"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "household__region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("救助待遇")
        verbose_name_plural = _("救助待遇")
        indexes = [models.Index(fields=["program", "status"])]
        # One basic-living program per person (docs/decisions.md 2026-11-25; issue 8 item 4): a person holds at most
        # one live personal entitlement (特困 or 单人户 — never both), and a household at most one live 低保. That a
        # 特困 person is not also in a household's 低保 unit is checked by the approval (``benefits.selectors``).
        constraints = [
            models.UniqueConstraint(fields=["person"], name="entitlement_one_basic_per_person",
                                    condition=Q(program__in=["tekun", "dibao_single"], status__in=["active", "grace"],
                                                person__isnull=False)),
            # A special-group program (孤儿, 两项补贴) at most once per person at a time.
            models.UniqueConstraint(fields=["person", "program"], name="entitlement_one_special_per_person",
                                    condition=Q(program__in=["orphan", "disabled_living", "disabled_care"],
                                                status__in=["active", "grace"], person__isnull=False)),
            models.UniqueConstraint(fields=["household"], name="entitlement_one_dibao_per_household",
                                    condition=Q(program="dibao", person__isnull=True,
                                                status__in=["active", "grace"])),
        ]

    def __str__(self) -> str:
        return f"{self.household} · {self.get_program_display()}"
