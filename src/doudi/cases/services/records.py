"""Records attached to a case that do not move it (investigations are in ``investigation``): verification
results, democratic appraisals, rejection notices served and appeals. ``case_lock`` and ``record_audit`` are shared
with the temporary app's records (stage payments, case-conference minutes)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.cases.choices import DecisionOutcome, State
from doudi.cases.errors import CaseError, Code
from doudi.cases.models import Appeal, Case, DemocraticAppraisal, Objection
from doudi.cases.selectors import actor_reach
from doudi.core.errors import IllegalTransition, NotFoundOrForbidden, PermissionDenied

if TYPE_CHECKING:
    from doudi.accounts.models import User


def case_lock(actor: User, *, case: Case | int, action: str = Action.CHANGE) -> tuple[Case, int]:
    """The case locked for a record, and the actor's reach over it (6 county, 9 township, 12 village)."""
    pk = case.pk if isinstance(case, Case) else case
    locked = Case.objects.select_for_update().filter(pk=pk).first()
    if locked is None or not Case.objects.restrict(actor, Action.VIEW).filter(pk=pk).exists():
        raise NotFoundOrForbidden(_("未找到该案件，或不在您的辖区内"))
    reach = actor_reach(actor, case=locked, action=action)
    if reach is None:
        raise PermissionDenied(_("您没有办理此案件的权限"))
    return locked, reach


def record_audit(actor: User, *, case: Case, obj, changes: dict | None = None, reason: str = "") -> None:
    audit_record(actor=actor, action=AuditAction.CREATE, obj=obj, region_code=case.region_id,
                 changes=changes or {}, reason=reason)


@transaction.atomic
def verification_record(*, actor: User, case: Case | int, completed_on: dt.date, summary: str = "") -> Case:
    """核对 completed: the report itself lives in the verification app; the case keeps the date and a summary."""
    case, _reach = case_lock(actor, case=case)
    if case.state not in (State.VERIFYING, State.INVESTIGATING):
        raise IllegalTransition(_("只有核对中或调查中的案件可以登记核对结果"))
    if case.verification_requested_on and completed_on < case.verification_requested_on:
        raise CaseError(_("核对完成日期不能早于申请核对日期"), code=Code.INVALID_DATE, field="completed_on")
    case.verification_completed_on = completed_on
    case.verification_summary = summary[:300]
    case.save(update_fields=["verification_completed_on", "verification_summary", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=case, region_code=case.region_id,
                 changes={"verification_completed_on": completed_on}, reason=summary)
    return case


@transaction.atomic
def appraisal_record(*, actor: User, case: Case | int, objection: Objection, held_on: dt.date, participants: int,
                     result: str) -> DemocraticAppraisal:
    case, _reach = case_lock(actor, case=case)
    if objection.case_id != case.pk:
        # Democratic appraisal only answers an objection to this case (S1 Art 19 ¶2; S4 item 24).
        raise CaseError(_("民主评议只能针对本案件公示期间的异议"), code=Code.APPRAISAL_NEEDS_OBJECTION)
    if case.state != State.REINVESTIGATING:
        raise IllegalTransition(_("只有重新调查中的案件可以组织民主评议"))
    row = DemocraticAppraisal.objects.create(case=case, objection=objection, held_on=held_on,
                                             participants=participants, result=result)
    record_audit(actor, case=case, obj=row)
    return row


@transaction.atomic
def rejection_notice_issue(*, actor: User, case: Case | int, issued_on: dt.date) -> Case:
    case, _reach = case_lock(actor, case=case)
    decision = getattr(case, "decision", None)
    if decision is None or decision.outcome != DecisionOutcome.REJECT:
        raise IllegalTransition(_("只有不予批准的案件需要送达不予批准通知书"))
    decision.notice_issued_on = issued_on
    decision.save(update_fields=["notice_issued_on"])
    case.step_due = None
    case.save(update_fields=["step_due", "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=decision, region_code=case.region_id,
                 changes={"notice_issued_on": issued_on})
    return case


@transaction.atomic
def appeal_record(*, actor: User, case: Case | int, kind: str, filed_on: dt.date, body: str,
                  outcome: str = "") -> Appeal:
    case, _reach = case_lock(actor, case=case)
    if not hasattr(case, "decision"):
        raise IllegalTransition(_("尚未作出决定的案件不能登记复议或诉讼"))
    row = Appeal.objects.create(case=case, kind=kind, filed_on=filed_on, body=body, outcome=outcome,
                                recorded_by=actor)
    record_audit(actor, case=case, obj=row, changes={"kind": kind})
    return row
