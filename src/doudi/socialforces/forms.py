from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doudi.core import forms as core_forms
from doudi.socialforces.choices import HelperKind, OrgKind, ResourceKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class YuanField(core_forms.YuanField):
    """Yuan in, integer fen out (``core.forms``), at most 1 亿元 on a social-forces form."""

    def __init__(self, **kw):
        super().__init__(max_fen=100_000_000 * 100, **kw)


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    kind = forms.ChoiceField(label=_("类别"), choices=OrgKind.choices)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18, required=False)
    contact = forms.CharField(label=_("联系人及电话"), max_length=100, required=False)
    services = forms.CharField(label=_("服务领域"), max_length=200, required=False)


class HelperForm(forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=HelperKind.choices)
    name = forms.CharField(label=_("姓名"), max_length=50)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    qualification = forms.CharField(label=_("资格证书"), max_length=50, required=False)


class HoursForm(forms.Form):
    served_on = forms.DateField(label=_("服务日期"), widget=DATE, initial=timezone.localdate)
    minutes = forms.IntegerField(label=_("时长（分钟，兑换填负数）"), min_value=-1440, max_value=1440,
                                 widget=forms.NumberInput(
                                     attrs={"placeholder": _("分钟"), "aria-label": _("时长（分钟）")}))
    description = forms.CharField(label=_("服务内容"), max_length=200, widget=forms.TextInput(
        attrs={"placeholder": _("服务内容"), "aria-label": _("服务内容")}))


class ResourceForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("提供方"), coerce=int)
    kind = forms.ChoiceField(label=_("资源类别"), choices=ResourceKind.choices)
    title = forms.CharField(label=_("资源名称"), max_length=100)
    capacity = forms.IntegerField(label=_("可服务户次"), min_value=1, max_value=100_000, initial=1)


class MatchForm(forms.Form):
    resource = forms.TypedChoiceField(label=_("对接资源"), coerce=int)


class DeliverForm(forms.Form):
    delivered_on = forms.DateField(label=_("服务完成日期"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label=_("服务情况"), max_length=300, widget=forms.TextInput(
        attrs={"placeholder": _("服务情况"), "aria-label": _("服务情况")}))


class FeedbackForm(forms.Form):
    satisfaction = forms.IntegerField(label=_("满意度（1–5）"), min_value=1, max_value=5)
    feedback = forms.CharField(label=_("服务对象反馈"), max_length=300, required=False, widget=forms.TextInput(
        attrs={"placeholder": _("服务对象反馈"), "aria-label": _("服务对象反馈")}))


class ContractForm(forms.Form):
    organisation = forms.TypedChoiceField(label=_("承接主体"), coerce=int)
    title = forms.CharField(label=_("服务项目"), max_length=100)
    year = forms.IntegerField(label=_("预算年度"), min_value=2000, max_value=2100,
                              initial=lambda: timezone.localdate().year)
    amount = YuanField(label=_("合同金额（元）"))
    start_date = forms.DateField(label=_("服务起始"), widget=DATE)
    end_date = forms.DateField(label=_("服务终止"), widget=DATE)


class DonationForm(forms.Form):
    donor = forms.CharField(label=_("捐赠方"), max_length=100)
    received_on = forms.DateField(label=_("接收日期"), widget=DATE, initial=timezone.localdate)
    amount = YuanField(label=_("金额（元）"))
    purpose = forms.CharField(label=_("定向用途"), max_length=200, required=False)


class DonationUseForm(forms.Form):
    used_on = forms.DateField(label=_("使用日期"), widget=DATE, initial=timezone.localdate)
    amount = YuanField(label=_("金额（元）"), widget=forms.NumberInput(
        attrs={"placeholder": _("金额（元）"), "aria-label": _("使用金额（元）"), "step": "0.01"}))
    purpose = forms.CharField(label=_("用途"), max_length=200, widget=forms.TextInput(
        attrs={"placeholder": _("用途"), "aria-label": _("用途")}))


class ContractPaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("支付日期"), widget=DATE, initial=timezone.localdate)
    amount = YuanField(label=_("支付金额（元）"), widget=forms.NumberInput(
        attrs={"placeholder": _("支付金额（元）"), "aria-label": _("支付金额（元）"), "step": "0.01"}))
    note = forms.CharField(label=_("说明"), max_length=200, required=False, widget=forms.TextInput(
        attrs={"placeholder": _("说明"), "aria-label": _("说明")}))
