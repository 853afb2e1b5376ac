"""Forms for the registry screens. They only parse input; writes go through ``registry.services``."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from doudi.core.forms import BankAccountField, BoundedDateField, date_input
from doudi.core.money import yuan_to_fen
from doudi.core.posted import PostedForm, PostedText
from doudi.registry.choices import Relationship
from doudi.registry.models import EVIDENCE_MODELS, Evidence

# Money is stored as integer fen; the form asks for yuan (2 decimals) and converts once.
MONEY_FIELDS = {"monthly_fen": _("月均金额（元）"), "value_fen": _("价值（元）")}
# Kinds a caseworker can add from the household page. Support obligations need a second person picked from the
# registry and are entered through the import or the admin instead.
ADDABLE_KINDS = [m._meta.model_name for m in EVIDENCE_MODELS if m._meta.model_name != "supportobligation"]
NOT_EDITABLE = ("person", "recorded_by", "created_at")
COMMON_FIELDS = ("valid_from", "valid_to", "source", "note")


def evidence_model(kind: str) -> type[Evidence] | None:
    for model in EVIDENCE_MODELS:
        if model._meta.model_name == kind:
            return model
    return None


def kind_choices() -> list[tuple[str, str]]:
    return [(m._meta.model_name, m._meta.verbose_name) for m in EVIDENCE_MODELS if m._meta.model_name in ADDABLE_KINDS]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("姓名、身份证号、户编号或住址"), required=False, max_length=100)
    region = forms.ChoiceField(label=_("区划"), required=False)

    def __init__(self, *args, region_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部辖区")), *region_choices]


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("查看日期"), required=False, widget=date_input())


class RecordPost(PostedForm):
    """What the household page posts besides an evidence form: the member chosen (``person``, an id; anything else
    reads as none chosen) and the day the page shows (``as_of``, kept as typed: the page parses it and says when it
    is not a date)."""

    person = PostedText()
    as_of = PostedText()

    def clean(self):
        d = super().clean()
        digits = d["person"].strip()
        d["person_id"] = int(digits) if re.fullmatch(r"[0-9]{1,18}", digits) else 0
        return d


class AccountDecisionForm(PostedForm):
    note = PostedText(max_length=500, label=_("复核意见"))  # ``BankAccountChange.note``


def evidence_form_class(kind: str) -> type[forms.ModelForm]:
    """A form for one evidence kind: the model's own fields, with fen amounts asked in yuan."""
    model = evidence_model(kind)
    if model is None or kind not in ADDABLE_KINDS:
        raise ValueError(kind)
    exclude = [*NOT_EDITABLE, *(name for name in MONEY_FIELDS if hasattr(model, name))]
    extra: dict = {}
    for name, label in MONEY_FIELDS.items():
        if any(f.name == name for f in model._meta.fields):
            extra[name.replace("_fen", "_yuan")] = forms.DecimalField(
                label=label, min_value=Decimal(0), max_digits=14, decimal_places=2
            )
    widgets = {
        "valid_from": date_input(),
        "valid_to": date_input(),
    }
    meta = type("Meta", (), {"model": model, "exclude": exclude, "widgets": widgets})
    # What the fact is first, then the amount, then when it holds and where it came from.
    own = [f.name for f in model._meta.fields if f.name not in (*exclude, "id", *COMMON_FIELDS)]
    order = [*own, *extra, *COMMON_FIELDS]
    return type(f"{model.__name__}Form", (EvidenceFormBase,), {"Meta": meta, "field_order": order, **extra})


class EvidenceFormBase(forms.ModelForm):
    def service_fields(self) -> dict:
        """Keyword arguments for ``services.evidence_add`` (everything but person/kind), amounts in fen."""
        data = dict(self.cleaned_data)
        for name in MONEY_FIELDS:
            yuan_name = name.replace("_fen", "_yuan")
            if yuan_name in data:
                data[name] = yuan_to_fen(data.pop(yuan_name))
        return data


class EvidenceEndForm(forms.Form):
    valid_to = forms.DateField(label=_("终止日期"), widget=date_input())
    reason = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, default_day: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if default_day is not None:
            self.fields["valid_to"].initial = default_day


# --- household corrections (registry.edits) -----------------------------------------------------------------------


class _BasisForm(forms.Form):
    effective_on = BoundedDateField(label=_("变更日期"), allow_future=False)
    document = forms.CharField(label=_("变更依据"), max_length=100,
                               help_text=_("如：户口簿、村委会证明、结婚证、银行卡"))


class ContactForm(_BasisForm):
    address = forms.CharField(label=_("住址"), max_length=200)
    phone = forms.RegexField(label=_("联系电话"), regex=r"^[0-9+\- ]{0,20}$", max_length=20, required=False,
                             error_messages={"invalid": _("电话只能包含数字、空格、+ 和 -")})


class AccountForm(_BasisForm):
    bank_name = forms.CharField(label=_("开户银行"), max_length=100, required=False)
    bank_account = BankAccountField(label=_("银行账号"), required=False)
    account_holder = forms.CharField(label=_("账户户名"), max_length=50, required=False)


class JoinForm(_BasisForm):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号码"), max_length=18, min_length=18)
    relationship = forms.ChoiceField(label=_("与户主关系"), choices=Relationship.choices)


LEAVE_REASONS = [
    ("迁出", _("迁出")), ("分户", _("分户")), ("死亡", _("死亡")), ("婚嫁", _("婚嫁")), ("其他", _("其他")),
]


class LeaveForm(_BasisForm):
    member = forms.TypedChoiceField(label=_("离开的成员"), coerce=int)
    why = forms.ChoiceField(label=_("原因"), choices=LEAVE_REASONS)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, f"{m.person.name}（{m.get_relationship_display()}）")
                                         for m in members]
