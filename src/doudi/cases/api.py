"""REST endpoints for the case workflow (/api/cases/…). Session auth from the global API; every read is scoped and a
case out of scope answers 404 exactly like a missing one. Errors are ``{code, message, field}``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from doudi.cases import selectors, services
from doudi.cases.choices import State
from doudi.cases.models import Case
from doudi.cases.workflow import StepData, TemporaryDetails
from doudi.core.errors import NotFoundOrForbidden
from doudi.core.pagination import Rows, paged, stable
from doudi.core.schemas import EventDate, Fen, Id, InputSchema, Stages, Text
from doudi.regions.models import Region
from doudi.registry.models import Membership
from doudi.registry.selectors import household_get

if TYPE_CHECKING:
    from doudi.accounts.models import User

router = Router(tags=["cases"])


class ErrorOut(Schema):
    code: str
    message: str
    field: str | None = None


class TransitionOut(Schema):
    from_state: str
    to_state: str
    actor: str
    reason: str
    at: dt.datetime


class CaseOut(Schema):
    id: int
    application_number: str
    applicant_name: str
    household_id: int
    region_code: str
    program: str
    kind: str
    workflow: str
    state: str
    state_label: str
    authority_level: str
    accepted_on: dt.date | None
    step_due: dt.date | None
    overall_due: dt.date | None
    overdue: bool
    next_steps: list[str] = []


class CaseDetailOut(CaseOut):
    transitions: list[TransitionOut]
    relatives_flag: bool
    missing_items: list[str]
    feedback: str
    decision_outcome: str | None = None
    decision_monthly_fen: int | None = None
    decision_start_month: dt.date | None = None


def _out(case: Case, actor: User, detail: bool = False) -> dict:
    data = {
        "id": case.pk, "application_number": case.application.number,
        "applicant_name": case.application.applicant.name, "household_id": case.household_id,
        "region_code": case.region_id, "program": case.program, "kind": case.kind, "workflow": case.workflow,
        "state": case.state, "state_label": str(case.get_state_display()), "authority_level": case.authority_level,
        "accepted_on": case.accepted_on, "step_due": case.step_due, "overall_due": case.overall_due,
        "overdue": selectors.is_overdue(case), "next_steps": services.next_steps(actor, case=case),
    }
    if detail:
        decision = getattr(case, "decision", None)
        data.update(
            transitions=[{"from_state": t.from_state, "to_state": t.to_state, "actor": str(t.actor or ""),
                          "reason": t.reason, "at": t.at} for t in case.transitions.select_related("actor")],
            relatives_flag=case.application.relatives_flag, missing_items=case.application.missing_items,
            feedback=case.application.feedback,
            decision_outcome=decision.outcome if decision else None,
            decision_monthly_fen=decision.monthly_fen if decision else None,
            decision_start_month=decision.start_month if decision else None,
        )
    return data


ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("/", response=list[CaseOut], summary="案件列表（本辖区）")
@paged
def list_cases(request, state: str = "", overdue: bool = False):
    qs = selectors.case_list(actor=request.user, state=state, overdue=overdue)
    return Rows(stable(qs), lambda c: _out(c, request.user))


class TemporaryIn(InputSchema):
    type: Text(12)
    cause: Text(20)
    requested_fen: Fen
    stages: Stages = 1
    occurred_on: EventDate | None = None


class ApplicationIn(InputSchema):
    household_id: Id
    applicant_id: Id
    programs: list[str]
    channel: Text(16) = "window"
    place: Text(12) = "hukou"
    commitment_signed: bool = False
    entrustment: Text(200) = ""
    statement: str = ""
    special_needs: list[str] = []
    emergency_region_code: Text(12) | None = None
    temporary: TemporaryIn | None = None


class ApplicationOut(Schema):
    id: int
    number: str
    case_ids: list[int]


@router.post("/applications", response={201: ApplicationOut, **ERRORS}, summary="提交救助申请（一门受理）")
def create_application(request, payload: ApplicationIn):
    user = request.user
    today = timezone.localdate()
    try:
        household = household_get(actor=user, pk=payload.household_id)
    except NotFoundOrForbidden:
        # An applicant applies for their own household only: found through their current membership, never by bare
        # id, so another household answers exactly like a missing one.
        own = (Membership.objects.filter(household_id=payload.household_id, person_id=user.person_id).as_of(today)
               .select_related("household").first() if user.person_id else None)
        if own is None:
            raise
        household = own.household
    # The applicant is a current member of that household, looked up through it (the service checks it again).
    member = (Membership.objects.filter(household=household, person_id=payload.applicant_id).as_of(today)
              .select_related("person").first())
    if member is None:
        raise NotFoundOrForbidden(_("未找到申请人"))
    applicant = member.person
    code = payload.emergency_region_code
    region = Region.objects.filter(code=code).first() if code else None
    app = services.application_submit(
        actor=user, household=household, applicant=applicant, programs=payload.programs, channel=payload.channel,
        place=payload.place, commitment_signed=payload.commitment_signed, entrustment=payload.entrustment,
        statement=payload.statement, special_needs=payload.special_needs, emergency_region=region,
        temporary=TemporaryDetails(**payload.temporary.dict()) if payload.temporary else None,
    )
    return Status(201, {"id": app.pk, "number": app.number, "case_ids": list(app.cases.values_list("pk", flat=True))})


# Registered after /applications so that path is not taken for a case id.
@router.get("/{case_id}", response={200: CaseDetailOut, **ERRORS}, summary="案件详情")
def get_case(request, case_id: Id):
    return _out(selectors.case_get(actor=request.user, pk=case_id), request.user, detail=True)


class TransitionIn(InputSchema):
    to_state: State
    reason: Text(500) = ""
    missing_items: list[str] = []
    reasons: list[str] = []
    content: str = ""
    amount_fen: Fen | None = None
    approved_fen: Fen | None = None
    signed_by: list[str] = []


@router.post("/{case_id}/transitions", response={200: CaseDetailOut, **ERRORS}, summary="办理下一步（流转）")
def transition(request, case_id: Id, payload: TransitionIn):
    data = StepData(**payload.dict(exclude={"to_state", "reason"}, exclude_none=True))
    case = services.case_transition(actor=request.user, case=case_id, to_state=payload.to_state,
                                    reason=payload.reason, data=data)
    return _out(selectors.case_get(actor=request.user, pk=case.pk), request.user, detail=True)


class InvestigationIn(InputSchema):
    kind: Text(12)
    visited_on: EventDate
    # User ids of the investigators; the caller, when one of them, signs at once, each other signs for themselves.
    investigators: list[Id]
    family_signed: bool = False
    findings: str = ""
    remote_reason: Text(200) = ""


class IdOut(Schema):
    id: int


@router.post("/{case_id}/investigations", response={201: IdOut, **ERRORS}, summary="登记调查（入户调查等）")
def add_investigation(request, case_id: Id, payload: InvestigationIn):
    inv = services.investigation_record(
        actor=request.user, case=case_id, kind=payload.kind, visited_on=payload.visited_on,
        investigators=payload.investigators, family_signed=payload.family_signed,
        findings=payload.findings, remote_reason=payload.remote_reason,
    )
    return Status(201, {"id": inv.pk})


@router.post("/investigations/{investigation_id}/sign", response={201: IdOut, **ERRORS},
             summary="调查人员本人在调查记录上签字")
def sign_investigation(request, investigation_id: Id):
    sig = services.investigation_sign(actor=request.user, investigation=investigation_id)
    return Status(201, {"id": sig.pk})


class VerificationIn(InputSchema):
    completed_on: EventDate
    summary: Text(300) = ""


@router.post("/{case_id}/verification", response={200: IdOut, **ERRORS}, summary="登记核对结果")
def add_verification(request, case_id: Id, payload: VerificationIn):
    case = services.verification_record(actor=request.user, case=case_id, completed_on=payload.completed_on,
                                        summary=payload.summary)
    return {"id": case.pk}


class NoticeServedIn(InputSchema):
    issued_on: EventDate


@router.post("/{case_id}/rejection-notice", response={200: IdOut, **ERRORS}, summary="登记不予批准通知书送达")
def notice_served(request, case_id: Id, payload: NoticeServedIn):
    case = services.rejection_notice_issue(actor=request.user, case=case_id, issued_on=payload.issued_on)
    return {"id": case.pk}


class AppealIn(InputSchema):
    kind: Text(12)
    filed_on: EventDate
    body: Text(100)
    outcome: Text(200) = ""


@router.post("/{case_id}/appeals", response={201: IdOut, **ERRORS}, summary="登记行政复议/行政诉讼")
def add_appeal(request, case_id: Id, payload: AppealIn):
    row = services.appeal_record(actor=request.user, case=case_id, **payload.dict())
    return Status(201, {"id": row.pk})


class NoticeOut(Schema):
    display_name: str
    household_size: int
    amount_fen: int | None
    category: str
    village: str
    starts_on: dt.date
    ends_on: dt.date


@router.get("/public/{region_code}", auth=None, response={200: list[NoticeOut], 404: ErrorOut},
            summary="公示名单（无需登录）")
@paged
def public_notices(request, region_code: str):
    region = Region.objects.filter(code=region_code).first()
    if region is None:
        raise NotFoundOrForbidden(_("未找到该区划"))
    return Rows(stable(selectors.public_notices(region=region)), lambda n: {
        "display_name": n.display_name, "household_size": n.household_size, "amount_fen": n.amount_fen,
        "category": n.category, "village": n.region.name, "starts_on": n.starts_on, "ends_on": n.ends_on})


