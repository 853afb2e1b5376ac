"""Forms of the payment screens: each posted value is parsed and bounded here, so a bad one is a Chinese message."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from doudi.core.forms import BoundedDateField, IdField, MonthField, PercentField, RegionCodeField, YearField, YuanField
from doudi.core.posted import PostedChoice, PostedForm, PostedText
from doudi.payments.choices import PAYROLL_PROGRAMS, FundLevel, FundUse, LineStatus


def _programs():
    from doudi.benefits.choices import Program

    return [(p, Program(p).label) for p in PAYROLL_PROGRAMS]


class PayrollCreateForm(forms.Form):
    region = RegionCodeField(label=_("辖区"))
    program = forms.ChoiceField(label=_("救助项目"), choices=_programs)
    month = MonthField(label=_("发放月份"))


class PassbookAgreementForm(forms.Form):
    agreement_date = BoundedDateField(label=_("协议日期"), allow_future=False)
    file_ref = forms.CharField(label=_("备案编号"), max_length=60)
    custodian = forms.CharField(label=_("代管人"), max_length=50, required=False)


class FundSourceForm(forms.Form):
    region = RegionCodeField(label=_("辖区"))
    year = YearField(label=_("年度"), required=False)
    level = forms.ChoiceField(label=_("资金来源"), choices=FundLevel.choices)
    amount = YuanField(label=_("金额"))
    document = forms.CharField(label=_("下达文号"), max_length=100, required=False)


class AllocationForm(forms.Form):
    source = IdField(label=_("资金来源"))
    use = forms.ChoiceField(label=_("用途"), choices=FundUse.choices)
    amount = YuanField(label=_("金额"))


class OneOffForm(forms.Form):
    region = RegionCodeField(label=_("辖区"))
    program = forms.ChoiceField(label=_("救助项目"), choices=_programs)
    month = MonthField(label=_("发放月份"))
    amount = YuanField(label=_("每人金额"))
    decision_ref = forms.CharField(label=_("决定文号"), max_length=100)


class PriceIndexForm(forms.Form):
    region = RegionCodeField(label=_("辖区"))
    month = MonthField(label=_("月份"))
    cpi = PercentField(label=_("居民消费价格指数同比涨幅（%）"), required=False)
    food_cpi = PercentField(label=_("食品价格指数同比涨幅（%）"), required=False)
    source = forms.CharField(label=_("数据来源"), max_length=100, required=False)


class YearQueryForm(forms.Form):
    year = YearField(label=_("年份"), required=False)


class PayrollLinesQuery(PostedForm):
    status = PostedChoice(choices=[LineStatus.HELD])  # the 暂缓 filter; any other value shows every line


class PayrollActionForm(PostedForm):
    background = PostedText()  # any value: generate in the task queue
    reason = PostedText(max_length=500, label=_("说明"))  # kept in the audit row (500)

    def clean(self):
        d = super().clean()
        d["background"] = bool(d["background"])
        return d
