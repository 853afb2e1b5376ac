"""医疗救助 claims (issue 8 item 6): one per bill of a covered person — entered at the window, imported from a
medical-insurance settlement file, or pushed by the department exchange. The engine computes what is payable
(``rules.medical.evaluate_claims``: the person's category, the profile's rate, the annual cap per person and kind,
drawn in date order); a second person approves; approved claims are paid through the payroll machinery (a
``payments.Payroll`` of program ``medical``: review, approval, bank file, reconciliation as for every payroll)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager
from doudi.medical.choices import ClaimKind, ClaimSource, ClaimStatus, Payee
from doudi.rules.kinds import MEDICAL_CATEGORIES

USER = settings.AUTH_USER_MODEL


class MedicalClaim(models.Model):
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="+")
    person = models.ForeignKey("registry.Person", verbose_name=_("救助对象"), on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(_("类别"), max_length=20, choices=ClaimKind.choices)
    claim_date = models.DateField(_("结算日期"))
    hospital = models.CharField(_("医疗机构"), max_length=100, blank=True)
    oop_fen = models.BigIntegerField(_("政策范围内个人自付（分）"))
    source = models.CharField(_("来源"), max_length=10, choices=ClaimSource.choices, default=ClaimSource.ENTERED)
    external_ref = models.CharField(_("结算单号"), max_length=60, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    # the engine's answer (rules.medical): category by the person's program, payable within the annual cap
    category = models.CharField(_("救助类别"), max_length=10, blank=True)
    payable_fen = models.BigIntegerField(_("救助金额（分）"), null=True, blank=True)
    capped = models.BooleanField(_("受年度封顶限制"), default=False)
    policy_version = models.CharField(_("政策版本"), max_length=16, blank=True)
    entered_by = models.ForeignKey(USER, verbose_name=_("录入人"), null=True, on_delete=models.PROTECT,
                                   related_name="+")
    approved_by = models.ForeignKey(USER, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    # paid to the person, or settled to the medical institution (一站式结算) through its settlement payroll
    payee = models.CharField(_("支付对象"), max_length=12, choices=Payee.choices, default=Payee.PERSON)
    institution = models.ForeignKey("payments.PayeeInstitution", verbose_name=_("结算医疗机构"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    payroll_line = models.ForeignKey("payments.PayrollLine", verbose_name=_("发放明细"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "household__region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("医疗救助结算")
        verbose_name_plural = _("医疗救助结算")
        ordering = ["claim_date", "id"]
        constraints = [models.UniqueConstraint(fields=["external_ref"], condition=~Q(external_ref=""),
                                               name="medicalclaim_import_once")]
        indexes = [models.Index(fields=["person", "kind", "claim_date"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()} · {self.claim_date}"

    @property
    def category_label(self) -> str:
        """The engine's category in words (特困人员 / 低保对象 / 低保边缘家庭成员), never its code."""
        return MEDICAL_CATEGORIES.get(self.category, self.category)
