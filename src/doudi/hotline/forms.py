"""Hotline forms: bounded fields, Chinese errors; each cleans to what a service takes."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes, region_q
from doudi.hotline.choices import Channel, LineResult, Satisfaction, TicketKind, Topic
from doudi.hotline.limits import HANDLING_LEVELS
from doudi.regions.models import Region


def handling_regions(user, action: str = Action.CHANGE):
    q = region_q("code", region_prefixes(user, action))
    if q is None:
        return Region.objects.none()
    return Region.objects.filter(q, level__in=HANDLING_LEVELS).order_by("code")


class TicketForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=TicketKind.choices)
    channel = forms.ChoiceField(label=_("来源渠道"), choices=[c for c in Channel.choices if c[0] != Channel.WEB])
    topic = forms.ChoiceField(label=_("事项类别"), choices=Topic.choices)
    region = forms.ModelChoiceField(label=_("承办区划"), queryset=Region.objects.none())
    summary = forms.CharField(label=_("诉求内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    caller_name = forms.CharField(label=_("来电（信、访）人"), max_length=50, required=False)
    caller_phone = forms.RegexField(label=_("联系电话"), regex=r"^[0-9\-]{5,20}$", max_length=20, required=False,
                                    error_messages={"invalid": _("电话号码只能包含数字和“-”")})
    anonymous = forms.BooleanField(label=_("匿名（不登记来电人信息）"), required=False)
    urgent = forms.BooleanField(label=_("紧急求助（当日办结）"), required=False)
    external_ref = forms.CharField(label=_("12345工单号"), max_length=40, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = handling_regions(user)


class PublicTicketForm(forms.Form):
    kind = forms.ChoiceField(label=_("您要"), choices=TicketKind.choices)
    region = forms.ModelChoiceField(label=_("所在乡镇（街道）"), queryset=Region.objects.filter(level="township")
                                    .order_by("code"))
    summary = forms.CharField(label=_("具体内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5}))
    caller_name = forms.CharField(label=_("姓名（可不填）"), max_length=50, required=False)
    caller_phone = forms.RegexField(label=_("联系电话（便于答复，可不填）"), regex=r"^[0-9\-]{5,20}$",
                                    max_length=20, required=False,
                                    error_messages={"invalid": _("电话号码只能包含数字和“-”")})


class TransferForm(forms.Form):
    to_region = forms.ModelChoiceField(label=_("转至"), queryset=Region.objects.filter(level__in=HANDLING_LEVELS))
    reason = forms.CharField(label=_("转办理由"), max_length=500)


class CallbackForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("回访结果"), choices=Satisfaction.choices)
    note = forms.CharField(label=_("回访记录"), max_length=500, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("12345平台导出文件（CSV 或 Excel）"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过5MB"))
        return f


class LineCheckForm(forms.Form):
    result = forms.ChoiceField(label=_("抽查结果"), choices=LineResult.choices)
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class LinkForm(forms.Form):
    household_number = forms.CharField(label=_("户编号"), max_length=40)


class ApplicationForm(forms.Form):
    applicant = forms.IntegerField(label=_("申请人"), min_value=1, max_value=2**62)
    programs = forms.MultipleChoiceField(label=_("申请项目"), choices=[("dibao", _("最低生活保障")),
                                                                   ("tekun", _("特困人员救助供养"))])
    commitment = forms.BooleanField(label=_("已签署告知承诺书"), required=False)


class ReviewForm(forms.Form):
    entitlement = forms.IntegerField(label=_("救助待遇"), min_value=1, max_value=2**62)


class LineDrawForm(forms.Form):
    count = forms.IntegerField(label=_("抽取条数"), min_value=1, max_value=50, initial=3)
    seed = forms.IntegerField(label=_("随机种子"), min_value=0, max_value=10**15, required=False)
