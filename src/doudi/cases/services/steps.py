"""What the standard steps check and do (the effects of ``workflow.WorkflowSpec``), and the checks other workflows
reuse: an investigation signed by two, a completed verification, a redone investigation after an objection, a
public notice. Each effect runs on the locked case inside ``case_transition``'s transaction; a ``CaseError`` writes
nothing."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doudi.cases.choices import CaseKind, State
from doudi.cases.errors import CaseError, Code
from doudi.cases.models import Case, DemocraticAppraisal, Objection, PublicNotice
from doudi.cases.selectors import case_timelines
from doudi.cases.services import outcome as adapters
from doudi.cases.services.intake import applicant_tell
from doudi.cases.services.investigation import min_investigators, valid_investigation
from doudi.registry.models import Membership
from doudi.relatives.selectors import relatives_matches

if TYPE_CHECKING:
    from doudi.accounts.models import User
    from doudi.cases.workflow import StepData


def tell(case: Case, *, text: str, fields: tuple[str, ...] = ()) -> None:
    applicant_tell(case.application, text=text, case=case, fields=fields)


def household_size(case: Case, *, day: dt.date) -> int:
    return Membership.objects.filter(household=case.household).as_of(day).count()


def require_investigation(case: Case) -> None:
    if not valid_investigation(case):
        raise CaseError(_("须有调查人员本人签字齐全的调查记录（至少%(n)s名不同的调查人员）")
                        % {"n": min_investigators(case, day=timezone.localdate())}, code=Code.INVESTIGATION_MISSING)


def require_verification(case: Case) -> None:
    if not case.verification_completed_on:
        raise CaseError(_("家庭经济状况核对尚未完成"), code=Code.VERIFICATION_INCOMPLETE)


def county_visit_done(case: Case) -> bool:
    return case.investigations.filter(by_county=True, kind="home_visit").exists()


def _notice_end(case: Case, today: dt.date) -> dt.date:
    """公示期 from the profile (S1 Art 19; S2 Art 15: 7 days; a 特困 termination S2 Art 26)."""
    from doudi.cases.services.deadlines import notice_end

    t = case_timelines(case, day=today)
    days = t.tekun_termination_notice_days if case.kind == CaseKind.TEKUN_TERMINATION else t.notice_days
    return notice_end(case, today=today, days=days)


def notice_post(case: Case, *, today: dt.date, amount_fen: int | None) -> None:
    """Post the 7-day public notice; after an objection only once the case was investigated again or appraised."""
    if case.state == State.REINVESTIGATING:
        objection = case.objections.order_by("-recorded_at", "-id").first()
        redone = valid_investigation(case, since=objection.recorded_at) or DemocraticAppraisal.objects.filter(
            objection=objection
        ).exists()
        if not redone:
            raise CaseError(_("收到异议后须重新调查或民主评议，方可重新公示"), code=Code.REINVESTIGATION_MISSING)
    # The notice is the official text posted in the village: stored in Chinese whatever language the caseworker's
    # screens are in (an English label would also overflow the column).
    with translation.override("zh-hans"):
        category = str(case.get_program_display())
        if case.kind != CaseKind.NEW:
            category = f"{category}（{case.get_kind_display()}）"
    PublicNotice.objects.create(
        case=case, region=case.region, display_name=case.application.applicant.name,
        household_size=household_size(case, day=today), amount_fen=amount_fen, category=category, starts_on=today,
        ends_on=_notice_end(case, today),
    )


# --- the effects, by target state --------------------------------------------------------------------------------


def to_accepted(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    app = case.application
    if not app.commitment_signed:
        raise CaseError(_("申请人尚未签署告知承诺书，不能受理"), code=Code.COMMITMENT_MISSING)
    case.accepted_on = today
    app.missing_items = []
    matches = relatives_matches(case.household, day=today)
    if matches:
        # S1 Art 11: a co-resident member is a close relative of a caseworker or committee member → 单独登记备案.
        app.relatives_flag = True
        app.relatives_note = "；".join(
            f"{m.relative_name}系{m.cadre_name}（{m.get_cadre_role_display()}）的{m.get_kinship_display()}"
            for m in matches
        )[:200]
    tell(case, text=_("%(program)s申请已于%(day)s受理，正在办理。") % {
        "program": case.get_program_display(), "day": today.isoformat()},
        fields=("missing_items", "relatives_flag", "relatives_note"))


def to_returned(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    items = [str(i).strip() for i in data.missing_items if str(i).strip()]
    if not items:
        raise CaseError(_("请一次性列明需要补正的全部材料"), code=Code.MISSING_ITEMS_REQUIRED, field="missing_items")
    app = case.application
    app.missing_items = items
    tell(case, text=_("请一次性补齐以下材料：%(items)s") % {"items": "、".join(items)}, fields=("missing_items",))


def to_verifying(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    if not adapters.authorisations_complete(case):
        missing = "、".join(adapters.authorisations_missing(case))
        raise CaseError(_("尚未完成家庭经济状况核对授权（%(who)s），不能发起核对") % {"who": missing},
                        code=Code.AUTHORISATION_MISSING)
    # 逢救必核: the request goes to the county's verification queue now, not by a separate visit to another screen.
    adapters.start_verification(actor, case=case, today=today)
    case.verification_requested_on = today


def to_township_reviewed(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    """The township's first-review opinion on a new 低保/特困 case: the engine's proposed amount."""
    require_investigation(case)
    require_verification(case)
    if case.kind == CaseKind.NEW:
        result = adapters.case_outcome(actor=actor, case=case, as_of=today)
        case.proposed_monthly_fen = result.monthly_fen if result.eligible else 0


def adjustment_reviewed(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    """An adjustment needs the investigation only; its amount was proposed when it was opened."""
    require_investigation(case)


def to_public_notice(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    stopping = case.kind in (CaseKind.STOP, CaseKind.TEKUN_TERMINATION)
    notice_post(case, today=today, amount_fen=0 if stopping else case.proposed_monthly_fen)


def to_objection(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    content = str(data.content or reason).strip()
    if not content:
        raise CaseError(_("请记录异议内容"), code=Code.OBJECTION_CONTENT_REQUIRED, field="content")
    notice = case.notices.filter(withdrawn=False).order_by("-starts_on", "-id").first()
    Objection.objects.create(case=case, notice=notice, received_on=today, content=content, recorded_by=actor)
    if notice:
        notice.withdrawn = True
        notice.save(update_fields=["withdrawn"])


def to_terminated(actor: User, case: Case, today: dt.date, reason: str, data: StepData) -> None:
    if not reason.strip():
        # S1 Art 29: refusal to cooperate without good reason; the reason is the record.
        raise CaseError(_("终止审核须写明原因"), code=Code.REASON_REQUIRED, field="reason")
    tell(case, text=_("%(program)s审核已终止：%(r)s") % {"program": case.get_program_display(), "r": reason})
