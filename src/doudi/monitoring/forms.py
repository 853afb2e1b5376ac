"""Request input for the monitoring screens (Django forms; the services check the rules again)."""

from __future__ import annotations

import base64
import binascii
import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from doudi.accounts.choices import Action, Department
from doudi.benefits.choices import Program
from doudi.core.money import InvalidAmount, yuan_to_fen
from doudi.monitoring.choices import Engine, IdentificationCategory, MeasureStatus, Response
from doudi.monitoring.feeds.schemas import feeds_for
from doudi.monitoring.services.responses import APPLY_PROGRAMS, Proposal
from doudi.referrals.choices import NeedType

PROGRAM_CHOICES = [("", "—"), *[(p, Program(p).label) for p in APPLY_PROGRAMS]]


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _today():
    return timezone.localdate()


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("走访日期"), initial=_today, widget=_date_input())
    findings = forms.CharField(label=_("核实情况"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    proposal = forms.ChoiceField(label=_("处置建议"), choices=Response.choices)
    program = forms.ChoiceField(label=_("申请项目（启动申请时）"), choices=PROGRAM_CHOICES, required=False)
    requested_yuan = forms.CharField(label=_("临时救助申请金额（元）"), required=False,
                                     widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    category = forms.ChoiceField(label=_("认定类别（低收入家庭认定时）"), required=False,
                                 choices=[("", "—"), *IdentificationCategory.choices])
    need = forms.ChoiceField(label=_("转介需求（转介部门时）"), required=False, choices=[("", "—"), *NeedType.choices])
    reason = forms.CharField(label=_("理由（排除时必填）"), required=False, max_length=300)
    signature = forms.CharField(widget=forms.HiddenInput, required=False)
    photo = forms.FileField(label=_("现场照片"), required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}))

    def clean_visited_on(self):
        day = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("走访日期不能晚于今天"))
        return day

    def clean_requested_yuan(self):
        text = self.cleaned_data.get("requested_yuan", "").strip()
        if not text:
            return 0
        try:
            return yuan_to_fen(text)
        except InvalidAmount as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_signature(self):
        text = self.cleaned_data.get("signature", "")
        head, _sep, body = text.partition(",")
        if head != "data:image/png;base64" or not body:
            raise forms.ValidationError(_("请走访人在屏幕上签名"))
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise forms.ValidationError(_("签名数据无效，请重新签名")) from None

    def proposal_value(self) -> Proposal:
        d = self.cleaned_data
        detail = {Response.APPLY: d.get("program"), Response.IDENTIFY: d.get("category"),
                  Response.REFER: d.get("need")}.get(d["proposal"], "")
        return Proposal(d["proposal"], detail or "", d.get("reason", ""), d.get("requested_yuan") or 0)


SUGGESTED_INITIAL = {
    "apply_dibao": {"proposal": "apply", "program": "dibao"},
    "apply_tekun": {"proposal": "apply", "program": "tekun"},
    "apply_temporary": {"proposal": "apply", "program": "temporary"},
    "identify_margin": {"proposal": "identify", "category": "margin"},
    "identify_rigid": {"proposal": "identify", "category": "rigid"},
    "refer_medical": {"proposal": "refer", "need": "medical"},
    "refer_education": {"proposal": "refer", "need": "education"},
    "refer_housing": {"proposal": "refer", "need": "housing"},
    "refer_employment": {"proposal": "refer", "need": "employment"},
    "refer_disaster": {"proposal": "refer", "need": "disaster"},
    "review": {"proposal": "review"},
    "stop": {"proposal": "stop"},
    "visit": {"proposal": "dismiss"},
}


class ReportForm(VisitForm):
    household = forms.CharField(label=_("户编号"), max_length=24)


class FeedUploadForm(forms.Form):
    feed = forms.ChoiceField(label=_("数据类别"))
    region = forms.ChoiceField(label=_("报送辖区"))
    period = forms.CharField(label=_("数据所属月份"), widget=forms.TextInput(attrs={"type": "month"}))
    file = forms.FileField(label=_("文件（CSV、Excel .xlsx 或 Parquet）"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from doudi.accounts.permissions import role_allows

        self.fields["feed"].choices = [(f.code, f.title) for f in feeds_for(user.department)]
        grants = user.grants.select_related("region")
        self.fields["region"].choices = [(g.region_id, g.region.name) for g in grants
                                         if role_allows(g.role, Action.SUBMIT_DATA)]

    def clean_period(self):
        text = self.cleaned_data["period"].strip()
        try:
            return dt.date.fromisoformat(f"{text[:7]}-01")
        except ValueError:
            raise forms.ValidationError(_("请按“年-月”填写数据所属月份")) from None


class RunForm(forms.Form):
    region = forms.ChoiceField(label=_("辖区"))
    as_of = forms.DateField(label=_("比对基准日"), initial=_today, widget=_date_input())
    engine = forms.ChoiceField(label=_("计算引擎"), choices=Engine.choices, initial=Engine.DUCKDB)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from doudi.accounts.permissions import role_allows

        self.fields["region"].choices = [(g.region_id, g.region.name) for g in user.grants.select_related("region")
                                         if role_allows(g.role, Action.DECIDE)]


class IdentificationForm(forms.Form):
    household = forms.CharField(label=_("户编号"), max_length=24)
    category = forms.ChoiceField(label=_("认定类别"), choices=IdentificationCategory.choices)
    channel = forms.ChoiceField(label=_("来源"), choices=[("apply", _("家庭申请")), ("discovered", _("主动发现"))])
    statement = forms.CharField(label=_("情况说明"), required=False, max_length=500,
                                widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("审批结论"), coerce=lambda v: v == "1",
                                     choices=[("1", _("认定")), ("0", _("不予认定"))])
    reason = forms.CharField(label=_("审批意见"), required=False, max_length=300)


class PlanForm(forms.Form):
    needs = forms.CharField(label=_("困难与需求"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000)
    next_follow_up = forms.DateField(label=_("下次回访"), required=False,
                                     widget=_date_input())


class MeasureForm(forms.Form):
    department = forms.ChoiceField(label=_("责任部门"), choices=Department.choices)
    measure = forms.CharField(label=_("帮扶措施"), max_length=300)
    due_on = forms.DateField(label=_("计划完成日期"), required=False, widget=_date_input())


class MeasureStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("落实情况"), choices=MeasureStatus.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=300)


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(label=_("回访日期"), initial=_today, widget=_date_input())
    note = forms.CharField(label=_("回访情况"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
    next_follow_up = forms.DateField(label=_("下次回访"), required=False,
                                     widget=_date_input())


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), max_length=300)
