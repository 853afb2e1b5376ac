"""Records of a temporary case that do not move it: later stages of payment (一次审批、分阶段救助) and the
case-conference minutes (一事一议) an expenditure case above the locality's cap needs before approval."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.cases.choices import FINAL_STATES, State, Workflow
from doudi.cases.errors import CaseError
from doudi.cases.models import Case
from doudi.cases.services.records import case_lock, record_audit
from doudi.core.errors import IllegalTransition, PermissionDenied
from doudi.core.money import format_yuan
from doudi.temporary.errors import Code
from doudi.temporary.models import TemporaryPayment
from doudi.temporary.services.checks import confirm_due_on
from doudi.temporary.services.reserve import fund_draw

if TYPE_CHECKING:
    from doudi.accounts.models import User


@transaction.atomic
def temporary_pay_stage(*, actor: User, case: Case | int, amount_fen: int,
                        from_reserve: bool = False) -> TemporaryPayment:
    """一次审批、分阶段救助 (S4 item 15): later stages of an approved or advance-paid temporary case."""
    case, reach = case_lock(actor, case=case)
    if reach > 9:
        raise PermissionDenied(_("发放须由乡镇（街道）经办人员办理"))
    if case.workflow not in (Workflow.EMERGENCY, Workflow.EXPENDITURE) or case.state not in (
        State.ADVANCE_PAID, State.DECIDED_APPROVED
    ):
        raise IllegalTransition(_("只有已批准或已先行救助的临时救助可以发放"))
    temp = case.temporary
    paid = list(case.payments.all())
    if len(paid) >= temp.stages:
        raise CaseError(_("已发放%(n)s次，达到核定的分阶段次数") % {"n": len(paid)}, code=Code.STAGES_EXHAUSTED)
    limit = temp.approved_fen if case.workflow == Workflow.EXPENDITURE else temp.requested_fen
    if amount_fen <= 0 or sum(p.amount_fen for p in paid) + amount_fen > (limit or 0):
        raise CaseError(_("发放总额不能超过核定金额%(amt)s元") % {"amt": format_yuan(limit or 0)},
                        code=Code.OVER_APPROVED_AMOUNT, field="amount")
    movement = None
    if from_reserve:
        movement = fund_draw(actor=actor, region=case.region, amount_fen=amount_fen, case=case,
                             note=f"分阶段救助 {case.application.number}")
    payment = TemporaryPayment.objects.create(
        case=case, stage=len(paid) + 1, amount_fen=amount_fen, paid_at=timezone.now(), from_reserve=from_reserve,
        movement=movement, paid_by=actor,
        confirm_due=confirm_due_on(case.region, paid_on=timezone.localdate()) if from_reserve else None)
    record_audit(actor, case=case, obj=payment, changes={"amount_fen": amount_fen, "stage": payment.stage})
    return payment


@transaction.atomic
def conference_minutes_attach(*, actor: User, case: Case | int, minutes, held_on: dt.date) -> Case:
    """一事一议 minutes (S4 item 15; S6 §2(3)), required above the locality's cap before approval."""
    case, _reach = case_lock(actor, case=case)
    if case.workflow != Workflow.EXPENDITURE or case.state in FINAL_STATES:
        raise IllegalTransition(_("只有办理中的支出型临时救助可以上传一事一议纪要"))
    temp = case.temporary
    temp.conference_minutes = minutes
    temp.conference_held_on = held_on
    temp.save(update_fields=["conference_minutes", "conference_held_on"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case, region_code=case.region_id,
                 changes={"conference_held_on": held_on})
    return case
