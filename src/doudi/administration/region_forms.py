from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy

from doudi.administration.region_services import profile_choices
from doudi.core.forms import BoundedDateField
from doudi.regions.choices import AreaType, Level


class RegionSearchForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("名称"), required=False, max_length=50)
    level = forms.ChoiceField(label=gettext_lazy("层级"), required=False,
                              choices=[("", gettext_lazy("全部层级")), *Level.choices])


class RenameForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100)


class OfficeForm(forms.Form):
    office_name = forms.CharField(label=gettext_lazy("办理机关名称"), max_length=100, required=False,
                                  help_text=gettext_lazy("公示的发布单位、通知书的落款；留空按区划名称生成"))
    office_phone = forms.RegexField(
        label=gettext_lazy("监督投诉电话"), max_length=40, required=False, regex=r"^[0-9０-９+\-—()（）、，, ]*$",
        error_messages={"invalid": gettext_lazy("电话只能包含数字、+、-、括号、空格和顿号")},
        help_text=gettext_lazy("留空则使用上级区划的电话"))
    doc_prefix = forms.CharField(label=gettext_lazy("文号机关代字"), max_length=20, required=False,
                                 help_text=gettext_lazy("如 海民救，文号为 海民救〔2026〕12号"))


class ChangeForm(forms.Form):
    area_type = forms.ChoiceField(label=gettext_lazy("城乡类别"), choices=AreaType.choices)
    profile = forms.ChoiceField(label=gettext_lazy("政策配置"), required=False)
    effective_on = BoundedDateField(label=gettext_lazy("生效日期"), initial=timezone.localdate)
    reason = forms.CharField(label=gettext_lazy("依据和理由（文件文号等）"), max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["profile"].choices = profile_choices()


class DecisionForm(forms.Form):
    note = forms.CharField(label=gettext_lazy("复核意见"), max_length=500, required=False)
