"""The decision steps: approval (with what every approval must have first), an adjustment's approval, and rejection
with its reasons. Each writes one ``Decision`` and tells the applicant."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, diff, snapshot
from doudi.benefits.choices import SPECIAL_PROGRAMS, EntitlementStatus, Program
from doudi.benefits.models import Entitlement
from doudi.benefits.services import entitlement_rows, special_end_month
from doudi.cases.choices import CaseKind, DecisionOutcome, State, Workflow
from doudi.cases.errors import CaseError, Code
from doudi.cases.models import Case, Decision
from doudi.cases.selectors import case_timelines
from doudi.cases.services import outcome as adapters
from doudi.cases.services.amounts import engine_amount, second_approval_check
from doudi.cases.services.notices import document_number_assign
from doudi.cases.services.overlap import overlap_check
from doudi.cases.services.steps import county_visit_done, tell
from doudi.core.money import format_yuan
from doudi.core.workdays import add_working_days

if TYPE_CHECKING:
    from doudi.accounts.models import User
    from doudi.cases.workflow import StepData


def month_after(day: dt.date) -> dt.date:
    """First day of the month after ``day``: payment starts 作出确认同意决定之日下月起 (S1 Art 21; S2 Art 17)."""
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def approval_check(case: Case, *, today: dt.date) -> None:
    """What every approval needs first: the notice period over, a 特困 termination noticed, and a county home visit
    for a relatives-register case or a standard case with an objection."""
    if case.state == State.PUBLIC_NOTICE:
        notice = case.notices.filter(withdrawn=False).order_by("-starts_on", "-id").first()
        if notice and today <= notice.ends_on:
            raise CaseError(_("公示期至%(day)s结束，期满无异议后方可批准") % {"day": notice.ends_on.isoformat()},
                            code=Code.NOTICE_PERIOD_RUNNING)
    if case.kind == CaseKind.TEKUN_TERMINATION and not case.notices.exists():
        raise CaseError(_("终止特困供养须先公示（特困人员认定办法第二十六条）"), code=Code.NOTICE_REQUIRED)
    if case.application.relatives_flag and not county_visit_done(case):
        # S1 Art 20 ¶2; national-rules §8.2: every separately registered case gets a county home visit.
        raise CaseError(_("近亲属备案案件须经县级民政部门入户核查后方可批准"), code=Code.COUNTY_VISIT_REQUIRED)
    if case.workflow == Workflow.STANDARD and case.objections.exists() and not county_visit_done(case):
        raise CaseError(_("公示期间有异议的案件须经县级入户核查后方可批准"), code=Code.COUNTY_VISIT_REQUIRED)


def approval_new(actor: User, *, case: Case, today: dt.date, reason: str) -> Decision:
    return Decision(case=case, outcome=DecisionOutcome.APPROVE, decided_on=today, decided_by=actor,
                    reasons=[reason] if reason else [])


def approval_announce(case: Case, *, decision: Decision) -> None:
    decision.save()
    document_number_assign(decision)
    text = _("%(program)s已批准。") % {"program": case.get_program_display()}
    if decision.start_month:
        text += _("每月%(amt)s元，自%(m)s起发放。") % {
            "amt": format_yuan(decision.monthly_fen), "m": f"{decision.start_month:%Y年%m月}"}
    tell(case, text=text)


def _grant_rows(case: Case, result) -> list[dict]:
    """The entitlements the engine's evaluation grants for the case's program: one per person for 特困 (own care
    tier, own amount, own end — a death ends only theirs) and 单人户, one for the whole household's 低保."""
    evaluation = result.evaluation
    if evaluation is None:  # an outcome without a stored evaluation (adapter replaced): one entitlement as decided
        person = (result.person_ids or [case.application.applicant_id])[0] if case.program == Program.TEKUN else None
        return [{"program": case.program, "person_id": person, "monthly_fen": result.monthly_fen,
                 "covered_members": result.covered_members or len(result.person_ids) or 1}]
    program = case.program
    if program == Program.DIBAO and evaluation.result["dibao"].get("single_person"):
        # A margin household's severely disabled or seriously ill member covered alone (单人户, [000] 三(二)1).
        program = Program.DIBAO_SINGLE
    return entitlement_rows(evaluation, program=program)


def to_approved(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    """A new 低保/特困 case: the engine decides again today, and its answer becomes the entitlements — the amount
    stored on each is what the payroll pays (docs/payroll.md)."""
    approval_check(case, today=today)
    decision = approval_new(actor, case=case, today=today, reason=reason)
    result = adapters.case_outcome(actor=actor, case=case, as_of=today)
    if not result.eligible:
        raise CaseError(_("测算结果不符合条件，不能批准：%(r)s") % {"r": "；".join(result.reasons)},
                        code=Code.NOT_ELIGIBLE)
    start = month_after(today)
    # a child's allowance that would end before it starts (the 18th birthday falls in this month) grants nothing
    rows = [r for r in _grant_rows(case, result) if r.get("end_month") is None or r["end_month"] >= start]
    if not rows:
        raise CaseError(_("测算结果没有可发放的救助对象，不能批准"), code=Code.NOT_ELIGIBLE)
    overlap_check(case.household, rows=rows, start=start, evaluation=result.evaluation)
    ents = [Entitlement.objects.create(household=case.household, start_month=start, evaluation=result.evaluation,
                                       **row) for row in rows]
    case.entitlement = ents[0]
    decision.monthly_fen = sum(e.monthly_fen for e in ents)
    decision.covered_members = sum(e.covered_members for e in ents)
    decision.start_month = start
    decision.evaluation = result.evaluation
    decision.reasons = decision.reasons + list(result.reasons)
    approval_announce(case, decision=decision)


def _special_stop_month(actor: User, case: Case, ent: Entitlement, decision: Decision,
                        today: dt.date) -> dt.date | None:
    """A special-group program (rules.special) stopped: the engine decides again today and says the month the
    person's allowance was last due (the birthday month, the month full-time schooling under the extension ended,
    the month before a death); None when it gives none (then the decision month, as for every stop)."""
    result = adapters.case_outcome(actor=actor, case=case, as_of=today)
    if result.evaluation is None:
        return None
    decision.evaluation = result.evaluation
    return special_end_month(result.evaluation.result, program=ent.program, person_id=ent.person_id)


def adjustment_approved(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    """Increase, decrease or stop from the month after the decision; the old rate is paid through this month — or,
    for a special-group program the engine says ended earlier, through the engine's month (what was paid after it
    is an overpayment to recover, reviews.services.recovery). An end already fixed (a child's allowance at the
    engine's ``last_month``) is never moved later, and carries over to the adjusted entitlement."""
    approval_check(case, today=today)
    decision = approval_new(actor, case=case, today=today, reason=reason)
    ent = Entitlement.objects.select_for_update().select_related("household__region").get(pk=case.entitlement_id)
    if case.kind in (CaseKind.INCREASE, CaseKind.DECREASE):
        second_approval_check(actor, case=case, ent=ent, amount_fen=case.proposed_monthly_fen, day=today)
    if case.kind == CaseKind.GRACE:
        _grace_apply(actor, case=case, decision=decision, ent=ent)
        approval_announce(case, decision=decision)
        return
    this_month, start = today.replace(day=1), month_after(today)
    fixed_end = ent.end_month
    engine_end = (_special_stop_month(actor, case, ent, decision, today)
                  if case.kind == CaseKind.STOP and ent.program in SPECIAL_PROGRAMS else None)
    ent.end_month = min(m for m in (this_month, fixed_end, engine_end) if m is not None)
    ent.status = EntitlementStatus.ENDED
    ent.save(update_fields=["end_month", "status"])
    decision.start_month = start
    decision.covered_members = ent.covered_members
    if case.kind in (CaseKind.INCREASE, CaseKind.DECREASE):
        # The new amount is decided; the basis (and the engine's amount for it) carries over, so a later dated
        # standard rise moves the new amount by what the engine re-applies (docs/payroll.md).
        new = Entitlement.objects.create(
            household=ent.household, person=ent.person, program=ent.program, monthly_fen=case.proposed_monthly_fen,
            covered_members=ent.covered_members, start_month=start, evaluation=ent.evaluation,
            basis_area=ent.basis_area, basis_members=ent.basis_members, basis_income_fen=ent.basis_income_fen,
            basis_care_level=ent.basis_care_level,
            basis_amount_fen=(ent.basis_amount_fen if ent.basis_amount_fen is not None
                              else engine_amount(ent, day=start)),
            end_month=fixed_end,
        )
        decision.monthly_fen = new.monthly_fen
        case.entitlement = new
    else:
        decision.monthly_fen = 0
    approval_announce(case, decision=decision)


def _grace_apply(actor: User, *, case: Case, decision: Decision, ent: Entitlement) -> None:
    """渐退 (S1 Art 33; S5 一(三)) as the engine granted it in the review's evaluation: paid at the amount it had
    from the start month through the last paid month (start + N − 1), then it stops; the memory (when and why the
    income rose) goes on the entitlement so no later evaluation grants the months again."""
    g = case.evaluation.result["grace"]
    current = (case.evaluation.inputs or {}).get("current") or {}
    fields = ["status", "grace_start_month", "grace_months", "grace_end_month", "income_rose_on",
              "income_rise_reason"]
    before = snapshot(ent, fields=fields)
    ent.status = EntitlementStatus.GRACE
    ent.grace_start_month = dt.date.fromisoformat(g["start_month"] + "-01")
    ent.grace_months = int(g["months"])
    ent.grace_end_month = dt.date.fromisoformat(g["last_paid_month"] + "-01")
    rose_on = current.get("income_rose_on")
    ent.income_rose_on = dt.date.fromisoformat(rose_on) if rose_on else None
    ent.income_rise_reason = str(current.get("income_rise_reason") or "")
    ent.save(update_fields=fields)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=ent, region_code=case.region_id,
                 changes=diff(before, after=snapshot(ent, fields=fields)), reason=_("渐退审批：%(n)s") % {
                     "n": case.application.number})
    decision.monthly_fen = ent.monthly_fen
    decision.covered_members = ent.covered_members
    decision.start_month = ent.grace_start_month
    decision.evaluation = case.evaluation


def _rejection_notice_due(case: Case, today: dt.date) -> dt.date | None:
    days = case_timelines(case, day=today).rejection_notice_workdays  # S1 Art 21; S2 Art 18
    return None if days is None else add_working_days(today, days)


def to_rejected(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    reasons = [str(r).strip() for r in data.reasons if str(r).strip()] or ([reason] if reason else [])
    if not reasons:
        raise CaseError(_("不予批准须写明理由"), code=Code.REASONS_REQUIRED, field="reasons")
    # S1 Art 21; S2 Art 18: written notice with reasons within 3 working days of the decision.
    document_number_assign(Decision.objects.create(
        case=case, outcome=DecisionOutcome.REJECT, decided_on=today, decided_by=actor, reasons=reasons,
        notice_due=_rejection_notice_due(case, today)))
    tell(case, text=_("%(program)s不予批准，理由：%(r)s") % {
        "program": case.get_program_display(), "r": "；".join(reasons)})
