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
