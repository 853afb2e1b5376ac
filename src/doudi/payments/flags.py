"""What generation flags on a payroll's lines before anyone reviews it (kept apart from ``holds`` so generation
needs nothing above the models)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from doudi.payments.choices import LineStatus
from doudi.payments.models import Payroll, PayrollLine


def missing_account_reason() -> str:
    return _("缺少银行账号")


def hold_missing_accounts(payroll: Payroll) -> int:
    """Hold every line of ``payroll`` still waiting to be sent that has no bank account. Idempotent (a re-run of
    generation, or a second click, holds nothing new); returns how many lines were held now."""
    return PayrollLine.objects.filter(payroll=payroll, status=LineStatus.PENDING, bank_account="").update(
        status=LineStatus.HELD, fail_reason=missing_account_reason())


def current_account(line: PayrollLine) -> tuple[str, str, str]:
    """(bank name, account, holder) a line is paid to now: the entitlement's payee (a care agreement's carer) when
    it has one, else the household's account (``line.household`` and ``line.entitlement`` loaded)."""
    ent = line.entitlement
    if ent is not None and ent.payee_name:
        return ent.payee_bank_name, ent.payee_bank_account, ent.payee_name
    h = line.household
    return h.bank_name, h.bank_account, h.account_holder
