from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes, region_q
from doudi.benefits.choices import Program
from doudi.core.forms import BoundedDateField
from doudi.regions.models import Region
from doudi.supervision.choices import Finding, Method, Risk
from doudi.supervision.services.rounds import MAX_SAMPLE, ORGANISING_LEVELS


class RoundForm(forms.Form):
    region = forms.ModelChoiceField(label=_("抽查区域"), queryset=Region.objects.none())
    title = forms.CharField(label=_("批次名称"), max_length=100)
    program = forms.ChoiceField(label=_("救助项目"), required=False,
                                choices=[("", _("全部项目")), *[c for c in Program.choices if c[0] != "temporary"]])
    risk = forms.ChoiceField(label=_("抽查范围"), choices=Risk.choices)
    sample_size = forms.IntegerField(label=_("抽取对象数"), min_value=1, max_value=MAX_SAMPLE, initial=10)
    seed = forms.IntegerField(label=_("随机种子（留空则自动生成并记录）"), required=False, min_value=0,
                              max_value=2**62)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        q = region_q("code", region_prefixes(user, Action.DECIDE))
        self.fields["region"].queryset = (Region.objects.filter(q, level__in=ORGANISING_LEVELS).order_by("code")
                                          if q is not None else Region.objects.none())


class ItemForm(forms.Form):
    method = forms.ChoiceField(label=_("检查方式"), choices=Method.choices)
    inspected_on = BoundedDateField(label=_("检查日期"), allow_future=False)
    finding = forms.ChoiceField(label=_("检查结论"), choices=Finding.choices)
    notes = forms.CharField(label=_("检查记录"), max_length=4000, required=False,
                            widget=forms.Textarea(attrs={"rows": 4}))
    photo = forms.ImageField(label=_("现场照片（可选）"), required=False)
