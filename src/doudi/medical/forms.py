"""Forms of the medical-assistance screens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from doudi.core.forms import BankAccountField
from doudi.registry.forms import AccountForm


class InstitutionAccountForm(AccountForm):
    """A payee institution's new account (all three parts) with the date and document it rests on."""

    bank_name = forms.CharField(label=_("开户行"), max_length=100)
    bank_account = BankAccountField(label=_("账号"))
    account_holder = forms.CharField(label=_("户名"), max_length=100, required=False)
    document = forms.CharField(label=_("变更依据"), max_length=100, help_text=_("如：医疗机构出具的开户证明、公函"))
