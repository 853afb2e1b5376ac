"""Social forces (社会力量参与): organisations, social workers and volunteers with their hours (时间银行), the needs
list matched with the resources list, government purchase of services, and donations in, used and disclosed.

Rows are filed under a region code and scoped by it; a need names the household it came from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from doudi.accounts.scoping import RestrictedManager
from doudi.socialforces.choices import (
    ContractStatus,
    HelperKind,
    NeedSource,
    NeedStatus,
    OrgKind,
    ResourceKind,
)

USER = settings.AUTH_USER_MODEL


def _region(label: str):
    return models.ForeignKey("regions.Region", verbose_name=label, on_delete=models.PROTECT, related_name="+")


class Organisation(models.Model):
    region = _region(_("登记区划"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=16, choices=OrgKind.choices)
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact = models.CharField(_("联系人及电话"), max_length=100, blank=True)
    services = models.CharField(_("服务领域"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("社会组织")
        verbose_name_plural = _("社会组织")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name


class Helper(models.Model):
    """A social worker or volunteer; ``hours`` in the time bank are the sum of the recorded service hours."""

    region = _region(_("所在区划"))
    kind = models.CharField(_("类别"), max_length=16, choices=HelperKind.choices)
    name = models.CharField(_("姓名"), max_length=50)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    organisation = models.ForeignKey(Organisation, verbose_name=_("所属组织"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="helpers")
    qualification = models.CharField(_("资格证书"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("社工和志愿者")
        verbose_name_plural = _("社工和志愿者")
        ordering = ["region_id", "name"]

    def __str__(self) -> str:
        return self.name


class ServiceHours(models.Model):
    """Hours served (服务时长), banked in the time bank ([001] 二(五)18: 服务积分、时间银行); redeemed hours are
    negative rows so the balance is a sum."""

    helper = models.ForeignKey(Helper, verbose_name=_("服务人"), on_delete=models.CASCADE, related_name="hours")
    served_on = models.DateField(_("服务日期"))
    minutes = models.IntegerField(_("时长（分钟）"))
    description = models.CharField(_("服务内容"), max_length=200)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "helper__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("服务时长")
        verbose_name_plural = _("服务时长")
        ordering = ["-served_on", "-id"]


class Need(models.Model):
    household = models.ForeignKey("registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT,
                                  related_name="+")
    person = models.ForeignKey("registry.Person", verbose_name=_("服务对象"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    region = _region(_("所在村（社区）"))
    source = models.CharField(_("来源"), max_length=12, choices=NeedSource.choices)
    description = models.CharField(_("需求内容"), max_length=300)
    status = models.CharField(_("状态"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    household_path = "household_id"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("需求清单")
        verbose_name_plural = _("需求清单")
        ordering = ["-created_at", "-id"]


class Resource(models.Model):
    region = _region(_("服务区划"))
    organisation = models.ForeignKey(Organisation, verbose_name=_("提供方"), on_delete=models.PROTECT,
                                     related_name="resources")
    kind = models.CharField(_("资源类别"), max_length=16, choices=ResourceKind.choices)
    title = models.CharField(_("资源名称"), max_length=100)
    description = models.CharField(_("资源说明"), max_length=300, blank=True)
    capacity = models.PositiveIntegerField(_("可服务户次"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("资源清单")
        verbose_name_plural = _("资源清单")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Match(models.Model):
    """A need matched with a resource (供需对接), then delivered, then the family's feedback."""

    need = models.ForeignKey(Need, verbose_name=_("需求"), on_delete=models.PROTECT, related_name="matches")
    resource = models.ForeignKey(Resource, verbose_name=_("资源"), on_delete=models.PROTECT, related_name="matches")
    matched_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    matched_on = models.DateField(_("对接日期"))
    delivered_on = models.DateField(_("服务完成日期"), null=True, blank=True)
    delivery_note = models.CharField(_("服务情况"), max_length=300, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("满意度（1–5）"), null=True, blank=True)
    feedback = models.CharField(_("服务对象反馈"), max_length=300, blank=True)

    scope_path = "need__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("供需对接")
        verbose_name_plural = _("供需对接")
        ordering = ["-matched_on", "-id"]


class ServiceContract(models.Model):
    """政府购买社会救助服务 contract; the year's total and the social-organisation share are checked against the
    profile when it is signed (``services.purchase.contract_sign``)."""

    region = _region(_("购买主体区划"))
    organisation = models.ForeignKey(Organisation, verbose_name=_("承接主体"), on_delete=models.PROTECT,
                                     related_name="contracts")
    title = models.CharField(_("服务项目"), max_length=100)
    year = models.PositiveSmallIntegerField(_("预算年度"))
    amount_fen = models.BigIntegerField(_("合同金额（分）"))
    social_org = models.BooleanField(_("向社会组织购买"))
    start_date = models.DateField(_("服务起始"))
    end_date = models.DateField(_("服务终止"))
    status = models.CharField(_("状态"), max_length=10, choices=ContractStatus.choices,
                              default=ContractStatus.ACTIVE)
    signed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("购买服务合同")
        verbose_name_plural = _("购买服务合同")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.title


class Deliverable(models.Model):
    contract = models.ForeignKey(ServiceContract, verbose_name=_("合同"), on_delete=models.CASCADE,
                                 related_name="deliverables")
    description = models.CharField(_("服务成果"), max_length=200)
    due_on = models.DateField(_("应完成日期"))
    accepted_on = models.DateField(_("验收日期"), null=True, blank=True)
    assessment = models.CharField(_("验收意见（购买主体、服务对象、第三方）"), max_length=300, blank=True)

    scope_path = "contract__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("服务成果")
        verbose_name_plural = _("服务成果")
        ordering = ["due_on", "id"]


class ContractPayment(models.Model):
    contract = models.ForeignKey(ServiceContract, verbose_name=_("合同"), on_delete=models.PROTECT,
                                 related_name="payments")
    paid_on = models.DateField(_("支付日期"))
    amount_fen = models.BigIntegerField(_("支付金额（分）"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    # Money needs two people: recorded by one, confirmed by another (``services.common.confirm``); a row counts as
    # money in or out only once confirmed.
    confirmed_by = models.ForeignKey(USER, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    scope_path = "contract__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("合同付款")
        verbose_name_plural = _("合同付款")
        ordering = ["paid_on", "id"]


class Donation(models.Model):
    """A donation into the donation fund level (社会捐赠), with its uses and a public disclosure."""

    region = _region(_("接收区划"))
    donor = models.CharField(_("捐赠方"), max_length=100)
    received_on = models.DateField(_("接收日期"))
    amount_fen = models.BigIntegerField(_("金额（分）"))
    purpose = models.CharField(_("定向用途"), max_length=200, blank=True)
    disclosed_on = models.DateField(_("公开日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    # Money needs two people: recorded by one, confirmed by another (``services.common.confirm``); a row counts as
    # money in or out only once confirmed.
    confirmed_by = models.ForeignKey(USER, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    scope_path = "region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("社会捐赠")
        verbose_name_plural = _("社会捐赠")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return self.donor


class DonationUse(models.Model):
    donation = models.ForeignKey(Donation, verbose_name=_("捐赠"), on_delete=models.PROTECT, related_name="uses")
    used_on = models.DateField(_("使用日期"))
    amount_fen = models.BigIntegerField(_("金额（分）"))
    purpose = models.CharField(_("用途"), max_length=200)
    need = models.ForeignKey(Need, verbose_name=_("对应需求"), null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    # Money needs two people: recorded by one, confirmed by another (``services.common.confirm``); a row counts as
    # money in or out only once confirmed.
    confirmed_by = models.ForeignKey(USER, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    scope_path = "donation__region__code"
    objects = RestrictedManager()

    class Meta:
        verbose_name = _("捐赠使用")
        verbose_name_plural = _("捐赠使用")
        ordering = ["used_on", "id"]
