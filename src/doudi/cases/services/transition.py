"""``case_transition``: the one function that moves a case.

Order of checks, each before anything is written: scope (404, same as missing), the workflow table (409), the
actor's authority for that step (403), then the step's own preconditions (422). Inside one transaction it locks the
case row (``select_for_update``), applies the step's effects, writes the ``Transition`` row and the audit event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.benefits.choices import EntitlementStatus, Program
from doudi.benefits.models import Entitlement
from doudi.benefits.services import entitlement_basis
from doudi.cases import workflow
from doudi.cases.choices import AuthorityLevel, CaseKind, DecisionOutcome, State, Workflow
from doudi.cases.errors import CaseError
from doudi.cases.models import (
    Case,
    Decision,
    DemocraticAppraisal,
    Objection,
    PublicNotice,
    TemporaryPayment,
    Transition,
)
from doudi.cases.selectors import actor_reach, locality
from doudi.cases.services import outcome as adapters
from doudi.cases.services.intake import applicant_tell
from doudi.core.errors import IllegalTransition, NotFoundOrForbidden, PermissionDenied
from doudi.core.money import format_yuan
from doudi.core.workdays import add_working_days
from doudi.registry.models import Membership
from doudi.relatives.selectors import relatives_matches

COUNTY_REACH = 6
TOWNSHIP_REACH = 9
NOTICE_DAYS = 7  # 公示期为7天 (S1 Art 19; S2 Art 15, 26): calendar days


def _label(state: str) -> str:
    return str(State(state).label)


def month_after(day: dt.date) -> dt.date:
    """First day of the month after ``day``: payment starts 作出确认同意决定之日下月起 (S1 Art 21; S2 Art 17)."""
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def check_authority(actor, case: Case, who: str) -> None:
    if who == workflow.DECIDER:
        reach = actor_reach(actor, case, Action.DECIDE)
        need = COUNTY_REACH if case.authority_level == AuthorityLevel.COUNTY else TOWNSHIP_REACH
        if reach is None or reach > need:
            raise PermissionDenied(
                _("此案件由%(level)s，您没有审核确认权限") % {"level": case.get_authority_level_display()}
            )
        return
    reach = actor_reach(actor, case, Action.CHANGE)
    need = TOWNSHIP_REACH if who == workflow.TOWNSHIP else 12
    if reach is None or reach > need:
        raise PermissionDenied(_("您没有办理此环节的权限（须乡镇（街道）经办人员办理）"))


def next_steps(actor, case: Case) -> list[str]:
    """States the actor may move this case to now (the buttons on the case page)."""
    steps = []
    for to_state, who in workflow.allowed_next(case.workflow, case.state).items():
        try:
            check_authority(actor, case, who)
        except PermissionDenied:
            continue
        steps.append(to_state)
    return steps


# --- preconditions and effects per target state ------------------------------------------------------------------


def _tell(case: Case, text: str, fields: tuple[str, ...] = ()) -> None:
    applicant_tell(case.application, text, case=case, fields=fields)


def _valid_investigation(case: Case, since: dt.datetime | None = None) -> bool:
    qs = case.investigations.all()
    if since is not None:
        qs = qs.filter(recorded_at__gt=since)
    return any(len([i for i in inv.investigators if i.get("signed")]) >= 2 for inv in qs)


def _to_accepted(actor, case: Case, today: dt.date, reason: str, data: dict) -> None:
    app = case.application
    if not app.commitment_signed:
        raise CaseError(_("申请人尚未签署告知承诺书，不能受理"), code="commitment_missing")
    case.accepted_on = today
    app.missing_items = []
    matches = relatives_matches(case.household, today)
    if matches:
        # S1 Art 11: a co-resident member is a close relative of a caseworker or committee member → 单独登记备案.
        app.relatives_flag = True
        app.relatives_note = "；".join(
            f"{m.relative_name}系{m.cadre_name}（{m.get_cadre_role_display()}）的{m.get_kinship_display()}"
            for m in matches
        )[:200]
    _tell(case, _("%(program)s申请已于%(day)s受理，正在办理。") % {
        "program": case.get_program_display(), "day": today.isoformat()},
        ("missing_items", "relatives_flag", "relatives_note"))


def _to_returned(actor, case: Case, today: dt.date, reason: str, data: dict) -> None:
    items = [str(i).strip() for i in data.get("missing_items") or [] if str(i).strip()]
    if not items:
        raise CaseError(_("请一次性列明需要补正的全部材料"), code="missing_items_required", field="missing_items")
    app = case.application
    app.missing_items = items
    _tell(case, _("请一次性补齐以下材料：%(items)s") % {"items": "、".join(items)}, ("missing_items",))


def _to_verifying(actor, case: Case, today: dt.date, reason: str, data: dict) -> None:
    if not adapters.authorisations_complete(case):
        missing = "、".join(adapters.authorisations_missing(case))
        raise CaseError(_("尚未完成家庭经济状况核对授权（%(who)s），不能发起核对") % {"who": missing},
                        code="authorisation_missing")
    case.verification_requested_on = today


def _to_township_reviewed(actor, case: Case, today: dt.date, reason: str, data: dict) -> None:
    if not _valid_investigation(case):
        raise CaseError(_("须有至少2名调查人员签字的调查记录"), code="investigation_missing")
    if case.workflow in (Workflow.STANDARD, Workflow.EXPENDITURE) and not case.verification_completed_on:
        raise CaseError(_("家庭经济状况核对尚未完成"), code="verification_incomplete")
    if case.workflow == Workflow.EXPENDITURE:
        temp = case.temporary
        approved = int(data.get("approved_fen") or temp.requested_fen)
        temp.approved_fen = approved
        temp.save(update_fields=["approved_fen"])
        setting = locality(case.region)
        case.authority_level = (
            AuthorityLevel.TOWNSHIP if approved <= setting.temp_township_limit_fen else AuthorityLevel.COUNTY
        )
    elif case.kind == CaseKind.NEW:
        result = adapters.case_outcome(actor=actor, case=case, as_of=today)
        case.proposed_monthly_fen = result.monthly_fen if result.eligible else 0


def _to_public_notice(actor, case: Case, today: dt.date, reason: str, data: dict) -> None:
    if case.state == State.REINVESTIGATING:
        objection = case.objections.order_by("-recorded_at", "-id").first()
        redone = _valid_investigation(case, since=objection.recorded_at) or DemocraticAppraisal.objects.filter(
            objection=objection
        ).exists()
        if not redone:
            raise CaseError(_("收到异议后须重新调查或民主评议，方可重新公示"), code="reinvestigation_missing")
    amount = case.proposed_monthly_fen
    if case.workflow == Workflow.EXPENDITURE:
        amount = case.temporary.approved_fen
    elif case.kind in (CaseKind.STOP, CaseKind.TEKUN_TERMINATION):
        amount = 0
    size = Membership.objects.filter(household=case.household).as_of(today).count()
    category = case.get_program_display()
    if case.kind != CaseKind.NEW:
        category = f"{category}（{case.get_kind_display()}）"
    PublicNotice.objects.create(
        case=case, region=case.region, display_name=case.application.applicant.name, household_size=size,
        amount_fen=amount, category=category, starts_on=today, ends_on=today + dt.timedelta(days=NOTICE_DAYS - 1),
    )


def _to_objection(actor, case: Case, today: dt.date, reason: str, data: dict) -> None:
    content = str(data.get("content") or reason).strip()
    if not content:
        raise CaseError(_("请记录异议内容"), code="objection_content_required", field="content")
    notice = case.notices.filter(withdrawn=False).order_by("-starts_on", "-id").first()
    Objection.objects.create(case=case, notice=notice, received_on=today, content=content, recorded_by=actor)
    if notice:
        notice.withdrawn = True
        notice.save(update_fields=["withdrawn"])


def _county_visit_done(case: Case) -> bool:
    return case.investigations.filter(by_county=True, kind="home_visit").exists()


def _to_approved(actor, case: Case, today: dt.date, reason: str, data: dict) -> None:
    if case.state == State.PUBLIC_NOTICE:
        notice = case.notices.filter(withdrawn=False).order_by("-starts_on", "-id").first()
        if notice and today <= notice.ends_on:
            raise CaseError(_("公示期至%(day)s结束，期满无异议后方可批准") % {"day": notice.ends_on.isoformat()},
                            code="notice_period_running")
    if case.kind == CaseKind.TEKUN_TERMINATION and not case.notices.exists():
        raise CaseError(_("终止特困供养须先公示7天"), code="notice_required")
    if case.application.relatives_flag and not _county_visit_done(case):
        # S1 Art 20 ¶2; national-rules §8.2: every separately registered case gets a county home visit.
        raise CaseError(_("近亲属备案案件须经县级民政部门入户核查后方可批准"), code="county_visit_required")
    if case.workflow == Workflow.STANDARD and case.objections.exists() and not _county_visit_done(case):
        raise CaseError(_("公示期间有异议的案件须经县级入户核查后方可批准"), code="county_visit_required")

    decision = Decision(case=case, outcome=DecisionOutcome.APPROVE, decided_on=today, decided_by=actor,
                        reasons=[reason] if reason else [])
    if case.workflow == Workflow.EXPENDITURE:
        temp = case.temporary
        setting = locality(case.region)
        if temp.approved_fen > setting.temp_conference_above_fen and not temp.conference_minutes:
            raise CaseError(
                _("金额超过%(cap)s元，须上传一事一议会议纪要")
                % {"cap": format_yuan(setting.temp_conference_above_fen)},
                code="conference_required",
            )
        decision.monthly_fen = temp.approved_fen
        decision.covered_members = Membership.objects.filter(household=case.household).as_of(today).count()
    elif case.workflow == Workflow.ADJUSTMENT:
        _apply_adjustment(case, today, decision)
    else:
        result = adapters.case_outcome(actor=actor, case=case, as_of=today)
        if not result.eligible:
            raise CaseError(_("测算结果不符合条件，不能批准：%(r)s") % {"r": "；".join(result.reasons)},
                            code="not_eligible")
        start = month_after(today)
        program, person_id = case.program, None
        if case.program == Program.TEKUN:
            # 特困 is personal: the member the engine found meeting the three conditions (S2 Art 4).
            person_id = result.person_ids[0] if result.person_ids else case.application.applicant_id
        elif (
            case.program == Program.DIBAO
            and result.evaluation is not None
            and result.evaluation.result["dibao"].get("single_person")
        ):
            # A margin household's severely disabled or seriously ill member covered alone (单人户, [000] 三(二)1).
            program, person_id = Program.DIBAO_SINGLE, (result.person_ids or [None])[0]
        ent = Entitlement.objects.create(
            household=case.household, person_id=person_id, program=program, monthly_fen=result.monthly_fen,
            covered_members=result.covered_members or len(result.person_ids) or 1, start_month=start,
            evaluation=result.evaluation,
            # The basis lets the payroll recompute the amount when a new standard takes effect.
            **(entitlement_basis(result.evaluation, program) if result.evaluation is not None else {}),
        )
        case.entitlement = ent
        decision.monthly_fen = result.monthly_fen
        decision.covered_members = ent.covered_members
        decision.start_month = start
        decision.evaluation = result.evaluation
        decision.reasons = decision.reasons + list(result.reasons)
    decision.save()
    text = _("%(program)s已批准。") % {"program": case.get_program_display()}
    if decision.start_month:
        text += _("每月%(amt)s元，自%(m)s起发放。") % {
            "amt": format_yuan(decision.monthly_fen), "m": f"{decision.start_month:%Y年%m月}"}
    _tell(case, text)


def _apply_adjustment(case: Case, today: dt.date, decision: Decision) -> None:
    ent = Entitlement.objects.select_for_update().get(pk=case.entitlement_id)
    this_month, start = today.replace(day=1), month_after(today)
    # Changes take effect from the month after the decision; the old rate is paid through this month.
    ent.end_month = this_month
    ent.status = EntitlementStatus.ENDED
    ent.save(update_fields=["end_month", "status"])
    decision.start_month = start
    decision.covered_members = ent.covered_members
    if case.kind in (CaseKind.INCREASE, CaseKind.DECREASE):
        new = Entitlement.objects.create(
            household=ent.household, person=ent.person, program=ent.program, monthly_fen=case.proposed_monthly_fen,
            covered_members=ent.covered_members, start_month=start, evaluation=ent.evaluation,
        )
        decision.monthly_fen = new.monthly_fen
        case.entitlement = new
    else:
        decision.monthly_fen = 0


def _to_rejected(actor, case: Case, today: dt.date, reason: str, data: dict) -> None:
    reasons = [str(r).strip() for r in data.get("reasons") or [] if str(r).strip()] or ([reason] if reason else [])
    if not reasons:
        raise CaseError(_("不予批准须写明理由"), code="reasons_required", field="reasons")
    # S1 Art 21; S2 Art 18: written notice with reasons within 3 working days of the decision.
    Decision.objects.create(case=case, outcome=DecisionOutcome.REJECT, decided_on=today, decided_by=actor,
                            reasons=reasons, notice_due=add_working_days(today, 3))
    _tell(case, _("%(program)s不予批准，理由：%(r)s") % {
        "program": case.get_program_display(), "r": "；".join(reasons)})


def _to_terminated(actor, case: Case, today: dt.date, reason: str, data: dict) -> None:
    if not reason.strip():
        # S1 Art 29: refusal to cooperate without good reason; the reason is the record.
        raise CaseError(_("终止审核须写明原因"), code="reason_required", field="reason")
    _tell(case, _("%(program)s审核已终止：%(r)s") % {"program": case.get_program_display(), "r": reason})


def _to_advance_paid(actor, case: Case, today: dt.date, reason: str, data: dict) -> None:
    from doudi.funds.services import fund_draw

    temp = case.temporary
    amount = int(data.get("amount_fen") or temp.requested_fen)
    setting = locality(case.region)
    if amount > setting.temp_township_limit_fen:
        raise CaseError(
            _("先行救助金额超过乡镇审批额度%(cap)s元") % {"cap": format_yuan(setting.temp_township_limit_fen)},
            code="over_township_limit",
        )
    movement = fund_draw(actor=actor, region=case.region, amount_fen=amount, case=case,
                         note=f"先行救助 {case.application.number}")
    TemporaryPayment.objects.create(case=case, stage=1, amount_fen=amount, paid_at=timezone.now(),
                                    from_reserve=True, movement=movement, paid_by=actor)
    temp.approved_fen = amount
    temp.save(update_fields=["approved_fen"])
    _tell(case, _("已先行发放临时救助金%(amt)s元。") % {"amt": format_yuan(amount)})


def _to_closed(actor, case: Case, today: dt.date, reason: str, data: dict) -> None:
    temp = case.temporary
    if case.workflow == Workflow.EMERGENCY:
        signed = [s for s in data.get("signed_by") or [] if str(s).strip()]
        if not signed:
            # S6 §2(2): after the emergency, complete the caseworkers' signatures and seals.
            raise CaseError(_("请补齐经办人员签字"), code="signatures_required", field="signed_by")
        temp.paperwork_completed_on = today
        temp.save(update_fields=["paperwork_completed_on"])
    else:
        paid = sum(p.amount_fen for p in case.payments.all())
        if paid < (temp.approved_fen or 0):
            raise CaseError(_("分阶段救助尚未发放完毕"), code="payments_outstanding")


EFFECTS: dict[str, Callable[..., None]] = {
    State.ACCEPTED: _to_accepted,
    State.RETURNED: _to_returned,
    State.VERIFYING: _to_verifying,
    State.TOWNSHIP_REVIEWED: _to_township_reviewed,
    State.PUBLIC_NOTICE: _to_public_notice,
    State.OBJECTION: _to_objection,
    State.DECIDED_APPROVED: _to_approved,
    State.DECIDED_REJECTED: _to_rejected,
    State.TERMINATED: _to_terminated,
    State.ADVANCE_PAID: _to_advance_paid,
    State.CLOSED: _to_closed,
}


# --- deadlines (national-rules §1.6, §2.2) ------------------------------------------------------------------------


def _schedule(case: Case, to_state: str, today: dt.date) -> None:
    tekun = case.program == Program.TEKUN
    delegated = case.authority_level == AuthorityLevel.TOWNSHIP and case.workflow == Workflow.STANDARD
    if to_state == State.ACCEPTED:
        # Overall: 30 working days, 45 in special cases (S1 Art 22); 20 when delegated to the township (S5 §4(1)).
        total = 45 if case.special_extension else (20 if delegated else 30)
        case.overall_due = add_working_days(today, total)
        case.step_due = add_working_days(today, 3)  # start the investigation within 3 working days (S1 Art 15)
    elif to_state == State.INVESTIGATING:
        # 特困: first-review opinion within 15 working days of acceptance (S2 Art 13).
        case.step_due = add_working_days(case.accepted_on or today, 15) if tekun else case.overall_due
    elif to_state == State.TOWNSHIP_REVIEWED:
        case.step_due = case.overall_due
    elif to_state == State.PUBLIC_NOTICE:
        notice_end = today + dt.timedelta(days=NOTICE_DAYS - 1)
        # County opinion within 10 working days of receiving the materials (S1 Art 20); 特困 15 (S2 Art 16).
        case.step_due = add_working_days(notice_end, 15 if tekun else 10)
    elif to_state in (State.OBJECTION, State.REINVESTIGATING):
        case.step_due = add_working_days(today, 15)  # S2 Art 15 ¶2 / S2 Art 26
        if delegated and case.accepted_on:
            case.overall_due = add_working_days(case.accepted_on, 45)  # objection at notice (S5 §4(1))
    elif to_state == State.DECIDED_REJECTED:
        case.step_due = add_working_days(today, 3)  # written notice with reasons (S1 Art 21; S2 Art 18)
    elif to_state == State.ADVANCE_PAID:
        # No national limit for completing the paperwork; 10 working days is this platform's default.
        case.step_due = add_working_days(today, 10)
    elif to_state in (State.DECIDED_APPROVED, State.TERMINATED, State.CLOSED):
        case.step_due = None
        if case.workflow == Workflow.EXPENDITURE and to_state == State.DECIDED_APPROVED:
            case.step_due = add_working_days(today, 5)
    elif to_state == State.RETURNED:
        case.step_due = None


# --- the transition ----------------------------------------------------------------------------------------------


def case_transition(*, actor, case: Case | int, to_state: str, reason: str = "", today: dt.date | None = None,
                    **data) -> Case:
    today = today or timezone.localdate()
    pk = case.pk if isinstance(case, Case) else case
    with transaction.atomic():
        locked = Case.objects.select_for_update().filter(pk=pk).first()
        if locked is None or not Case.objects.restrict(actor, Action.VIEW).filter(pk=pk).exists():
            raise NotFoundOrForbidden(_("未找到该案件，或不在您的辖区内"))
        if to_state not in State.values:
            raise IllegalTransition(_("未知的目标状态“%(s)s”") % {"s": to_state}, code="unknown_state")
        who = workflow.allowed_next(locked.workflow, locked.state).get(to_state)
        if who is None:
            raise IllegalTransition(
                _("当前状态“%(from)s”不能直接进入“%(to)s”") % {"from": _label(locked.state), "to": _label(to_state)}
            )
        check_authority(actor, locked, who)
        effect = EFFECTS.get(to_state)
        if effect is not None:
            effect(actor, locked, today, reason, data)
        from_state = locked.state
        locked.state = to_state
        _schedule(locked, to_state, today)
        locked.save()
        Transition.objects.create(case=locked, from_state=from_state, to_state=to_state, actor=actor,
                                  reason=reason[:500])
        audit_record(
            actor=actor, action=AuditAction.TRANSITION, obj=locked, region_code=locked.region_id,
            changes={"state": [from_state, to_state]}, reason=reason,
        )
    return locked
