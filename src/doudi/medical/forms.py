"""The 医疗救助 screens' posts, read through forms (core.posted): each field as the screen always read it, the
same parsers and the same Chinese messages; a text longer than its column is refused instead of being cut."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doudi.core.errors import DomainError
from doudi.core.forms import BankAccountField
from doudi.core.money import yuan_to_fen
from doudi.core.posted import PostedChoice, PostedForm, PostedText
from doudi.medical.choices import ClaimStatus
from doudi.registry.forms import AccountForm


class InstitutionAccountForm(AccountForm):
    """A payee institution's new account (all three parts) with the date and document it rests on."""

    bank_name = forms.CharField(label=gettext_lazy("开户行"), max_length=100)
    bank_account = BankAccountField(label=gettext_lazy("账号"))
    account_holder = forms.CharField(label=gettext_lazy("户名"), max_length=100, required=False)
    document = forms.CharField(label=gettext_lazy("变更依据"), max_length=100,
                               help_text=gettext_lazy("如：医疗机构出具的开户证明、公函"))


def _month(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw + "-01")
    except ValueError:
        raise DomainError(_("月份须为YYYY-MM")) from None


def _claim_date(raw: str) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise DomainError(_("结算日期须为YYYY-MM-DD")) from None


class ClaimListQuery(PostedForm):
    status = PostedChoice(choices=ClaimStatus.values)  # an unknown status lists every claim


class ClaimForm(PostedForm):
    id_number = PostedText()  # looked up in the user's area by the view: stripped, upper case
    claim_date = PostedText()
    kind = PostedText()  # the service refuses an unknown kind ("请选择医疗救助类别")
    oop = PostedText()
    hospital = PostedText(max_length=100, label=gettext_lazy("医疗机构"))

    def clean(self):
        d = super().clean()
        d["id_number"] = d["id_number"].strip().upper()
        d["claim_date"] = self.parse(_claim_date, d["claim_date"])
        d["oop_fen"] = self.parse(yuan_to_fen, d.pop("oop") or "0")
        return d


class DecideForm(PostedForm):
    decision = PostedText()  # "approve", anything else: not approved
    reason = PostedText(max_length=500, label=gettext_lazy("理由"))  # kept in the audit row (500)
    payee = PostedText()  # the service refuses an unknown payee ("请选择支付对象")

    def clean(self):
        d = super().clean()
        d["approve"] = d.pop("decision", "") == "approve"
        return d


class PayrollForm(PostedForm):
    region = PostedText()
    month = PostedText()

    def clean(self):
        d = super().clean()
        d["month"] = self.parse(_month, d["month"])
        return d


class SettlementForm(PayrollForm):
    institution = PostedText()

    def clean(self):
        try:  # the institution first, as the screen always read it
            institution = int(self.cleaned_data.get("institution") or 0)
        except ValueError:
            raise ValidationError(_("请选择医疗机构")) from None
        d = super().clean()
        d["institution"] = institution
        return d


class InstitutionForm(PostedForm):
    region = PostedText()
    name = PostedText(max_length=100, label=gettext_lazy("机构名称"))
    bank_name = PostedText(max_length=100, label=gettext_lazy("开户行"))
    bank_account = PostedText(max_length=40, label=gettext_lazy("银行账号"))
    account_holder = PostedText(max_length=100, label=gettext_lazy("户名"))
    document = PostedText(max_length=100, label=gettext_lazy("变更依据"))  # the account change's basis
