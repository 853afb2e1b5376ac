"""Forms of the dynamic-management screens: every posted value is parsed and bounded here (amounts in yuan, dates in
range, IDs as positive integers), so the services get clean values and a bad one is a Chinese message, not a
server error or a Python exception text."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from doudi.core.forms import BoundedDateField, CountField, YuanField
from doudi.core.validators import MAX_DB_ID
from doudi.reviews.choices import (
    CreditReason,
    CreditSource,
    JobOfferResult,
    OverpaymentReason,
    RecoveryMethod,
    ReviewOutcome,
)


def _id(label, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=1, max_value=MAX_DB_ID, required=required)


class ScanForm(forms.Form):
    region = forms.RegexField(label=_("辖区代码"), regex=r"^\d{12}$",
                              error_messages={"invalid": _("辖区代码应为12位数字")})
    as_of = BoundedDateField(label=_("基准日"), required=False)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("结论"), choices=ReviewOutcome.choices)
    reason = forms.CharField(label=_("书面理由"), max_length=2000)
    proposed_yuan = YuanField(label=_("调整后月金额"), required=False)
    # an input bound only: the months granted are the engine's, within the profile's range
    grace_months = CountField(label=_("渐退月数"), minimum=1, maximum=24, required=False)
    grace_special = forms.BooleanField(label=_("特殊情况"), required=False)
    school_proof = forms.CharField(label=_("在读证明"), max_length=200, required=False)


class OverpaymentForm(forms.Form):
    reason = forms.ChoiceField(label=_("原因"), choices=OverpaymentReason.choices)
    should_stop_on = BoundedDateField(label=_("应停发日期"), allow_future=False)
    due_yuan = YuanField(label=_("每月应发金额"), required=False)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class OverpaymentCreateForm(OverpaymentForm):
    entitlement = _id(_("待遇"))


class RecoveryForm(forms.Form):
    amount_yuan = YuanField(label=_("追回金额"))
    received_on = BoundedDateField(label=_("日期"), allow_future=False, required=False)
    # 扣回 from later payments is done by the payroll (services.recovery_by_deduction), not entered by hand
    method = forms.ChoiceField(label=_("方式"), choices=[c for c in RecoveryMethod.choices if c[0] != "deduction"])
    note = forms.CharField(label=_("说明"), max_length=200, required=False)


class WaiveForm(forms.Form):
    reason = forms.CharField(label=_("核销理由"), max_length=300)


class DeductionCancelForm(forms.Form):
    deduction = forms.IntegerField(min_value=1, max_value=2**62)
    reason = forms.CharField(label=_("撤销理由"), max_length=200)


class FineForm(forms.Form):
    fine_yuan = YuanField(label=_("罚款金额"))
    decision_ref = forms.CharField(label=_("处罚决定书文号"), max_length=60)
    decided_on = BoundedDateField(label=_("决定日期"), allow_future=False, required=False)


class CreditForm(forms.Form):
    household = _id(_("家庭编号"))
    person = _id(_("人员"), required=False)
    reason = forms.ChoiceField(label=_("失信情形"), choices=CreditReason.choices)
    detail = forms.CharField(label=_("认定事实"), max_length=300)
    decided_on = BoundedDateField(label=_("认定日期"), allow_future=False, required=False)
    period_start = BoundedDateField(label=_("管理期限起"), required=False)
    period_end = BoundedDateField(label=_("管理期限止"), required=False)
    source = forms.ChoiceField(label=_("来源"), choices=CreditSource.choices)
    decision_ref = forms.CharField(label=_("认定文书"), max_length=60, required=False)


class JobOfferForm(forms.Form):
    household = _id(_("家庭编号"))
    person = _id(_("成员"))
    offered_on = BoundedDateField(label=_("推介日期"), allow_future=False, required=False)
    department = forms.CharField(label=_("推介部门"), max_length=60)
    position = forms.CharField(label=_("岗位"), max_length=100, required=False)
    result = forms.ChoiceField(label=_("结果"), choices=JobOfferResult.choices)
    refusal_reason = forms.CharField(label=_("拒绝理由"), max_length=200, required=False)
    good_reason = forms.BooleanField(label=_("拒绝理由正当"), required=False)
