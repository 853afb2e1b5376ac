"""Input forms of the care screens (parsing only; the services check the rules)."""

from __future__ import annotations

import base64
import binascii

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doudi.care.choices import CarerKind, CheckLevel, CheckResult, EndReason, NeedFound, SupportMode, VisitMethod
from doudi.core import forms as core_forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class YuanField(core_forms.YuanField):
    """Yuan in, integer fen out (``core.forms``), at most 1 000 万元 on a care form."""

    def __init__(self, **kw):
        super().__init__(max_fen=10_000_000 * 100, **kw)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("探访日期"), widget=DATE, initial=timezone.localdate)
    method = forms.ChoiceField(label=_("探访方式"), choices=VisitMethod.choices)
    findings = forms.CharField(label=_("探访情况（健康、赡养、居家安全等）"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 4}))
    need = forms.ChoiceField(label=_("发现的需求"), choices=NeedFound.choices, required=False)
    need_detail = forms.CharField(label=_("需求说明"), max_length=300, required=False)
    requested_yuan = YuanField(label=_("临时救助申请金额（元）"), required=False)
    photo = forms.FileField(label=_("现场照片"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))
    signature = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_signature(self) -> bytes:
        text = self.cleaned_data.get("signature", "")
        if not text:
            return b""
        try:
            return base64.b64decode(text.split(",", 1)[-1], validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError(_("签名数据无效，请重新签名")) from None


class ArrangementForm(forms.Form):
    mode = forms.ChoiceField(label=_("供养方式"), choices=SupportMode.choices)
    chosen_mode = forms.ChoiceField(label=_("本人选择"), choices=SupportMode.choices)
    choice_note = forms.CharField(label=_("本人意愿说明"), max_length=300, required=False)
    institution = forms.TypedChoiceField(label=_("供养机构（集中供养）"), coerce=int, required=False, empty_value=None)
    bed = forms.CharField(label=_("床位号"), max_length=20, required=False)
    start_date = forms.DateField(label=_("起始日期"), widget=DATE, initial=timezone.localdate)


class AgreementForm(forms.Form):
    carer_kind = forms.ChoiceField(label=_("照料人类别"), choices=CarerKind.choices)
    carer_name = forms.CharField(label=_("照料人（机构）"), max_length=100)
    carer_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    carer_bank_name = forms.CharField(label=_("照料人开户行"), max_length=100, required=False)
    carer_bank_account = forms.CharField(label=_("照料人银行账号（照料护理费发放到此账户）"), max_length=40,
                                         required=False)
    duties = forms.CharField(label=_("照料职责"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    visits_per_month = forms.IntegerField(label=_("每月上门照料次数"), min_value=1, max_value=62)
    monthly_fee = YuanField(label=_("照料护理费（元/月）"))
    start_date = forms.DateField(label=_("协议起始日期"), widget=DATE)
    end_date = forms.DateField(label=_("协议终止日期"), widget=DATE, required=False)


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("终止日期"), widget=DATE, initial=timezone.localdate)
    reason = forms.ChoiceField(label=_("终止原因"), choices=EndReason.choices)
    note = forms.CharField(label=_("情况说明"), max_length=300, required=False)


class WarnForm(forms.Form):
    reason = forms.CharField(label=_("警告事由"), max_length=300)


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("评估日期"), widget=DATE, initial=timezone.localdate)
    eating = forms.BooleanField(label=_("能自主吃饭"), required=False)
    dressing = forms.BooleanField(label=_("能自主穿衣"), required=False)
    bed_transfer = forms.BooleanField(label=_("能自主上下床"), required=False)
    toileting = forms.BooleanField(label=_("能自主如厕"), required=False)
    indoor_walking = forms.BooleanField(label=_("能室内行走"), required=False)
    bathing = forms.BooleanField(label=_("能自主洗澡"), required=False)


class CheckForm(forms.Form):
    level = forms.ChoiceField(label=_("监管层级"), choices=CheckLevel.choices)
    checked_on = forms.DateField(label=_("检查日期"), widget=DATE, initial=timezone.localdate)
    result = forms.ChoiceField(label=_("检查结果"), choices=CheckResult.choices)
    findings = forms.CharField(label=_("检查发现"), max_length=2000, required=False,
                               widget=forms.Textarea(attrs={"rows": 2}))
    corrective_actions = forms.CharField(label=_("整改要求"), max_length=2000, required=False,
                                         widget=forms.Textarea(attrs={"rows": 2}))
    rectify_by = forms.DateField(label=_("整改期限"), widget=DATE, required=False)
    checker_org = forms.CharField(label=_("检查（评估）单位"), max_length=100, required=False)
