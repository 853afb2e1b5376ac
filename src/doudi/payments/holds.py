"""Held payroll lines (暂缓发放): a line whose household has no bank account is held when the payroll is generated,
so the rest of an approved payroll goes to the bank instead of waiting months for one account. Once the account is
on file (registry: 修改家庭信息), the held line is released: in a draft it simply takes the account and goes out
with the payroll; in a reviewed or approved payroll (frozen) it is paid through the month's supplementary payroll,
like a failed payment, and the held line itself is never sent — so nothing can be paid twice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.payments.choices import LineStatus, PayrollStatus
from doudi.payments.errors import Code
from doudi.payments.flags import hold_missing_accounts
from doudi.payments.generation import PayrollError
from doudi.payments.models import Payroll, PayrollLine
from doudi.payments.services import payee_account, payroll_get_for_update, reissue_lines

if TYPE_CHECKING:
    from doudi.accounts.models import User

# A payroll whose lines have not gone to the bank yet: holding a line still changes what is sent.
NOT_SENT = (PayrollStatus.DRAFT, PayrollStatus.REVIEWED, PayrollStatus.APPROVED)


def payroll_hold_missing(*, actor: User, payroll_id: int) -> int:
    """Hold the lines without an account of a payroll generated before lines were flagged (one stuck since),
    so its other lines can be exported."""
    with transaction.atomic():
        payroll = payroll_get_for_update(actor, pk=payroll_id, action=Action.CHANGE)
        if payroll.status not in NOT_SENT:
            raise PayrollError(_("银行文件已导出，不能再暂缓"), code=Code.ALREADY_SENT)
        n = hold_missing_accounts(payroll)
        if not n:
            raise PayrollError(_("没有缺少银行账号的待发记录"), code=Code.NOTHING_TO_HOLD)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=payroll, region_code=payroll.region_id,
                     changes={"held_lines": n})
    return n


def payroll_release_held(*, actor: User, payroll_id: int) -> Payroll:
    """Release every held line whose household now has an account. Returns the payroll the lines will be paid in
    (the same draft, or the supplementary payroll)."""
    with transaction.atomic():
        payroll = payroll_get_for_update(actor, pk=payroll_id, action=Action.CHANGE)
        held = list(PayrollLine.objects.filter(payroll=payroll, status=LineStatus.HELD, reissues__isnull=True)
                    .select_related("household", "entitlement"))
        ready = [ln for ln in held if payee_account(ln, payroll=payroll)[1]]
        if not ready:
            raise PayrollError(_("暂缓的记录都还没有登记银行账号，请先在家庭台账中补录账户"),
                               code=Code.NOTHING_TO_RELEASE)
        if payroll.status == PayrollStatus.DRAFT:
            for ln in ready:
                ln.bank_name, ln.bank_account, ln.account_holder = payee_account(ln, payroll=payroll)
                ln.status, ln.fail_reason = LineStatus.PENDING, ""
            PayrollLine.objects.bulk_update(ready, ["bank_name", "bank_account", "account_holder", "status",
                                                    "fail_reason"])
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=payroll, region_code=payroll.region_id,
                         changes={"released_lines": len(ready)})
            return payroll
        return reissue_lines(actor=actor, payroll=payroll, lines=ready, reason=_("暂缓记录补录账户后补发"))
