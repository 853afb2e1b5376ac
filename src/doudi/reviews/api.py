"""REST endpoints for dynamic management (/api/reviews/…). Scoped like the screens: missing and out of scope are
the same 404; errors are ``{code, message, field}``."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from doudi.core.pagination import Rows, paged, stable
from doudi.core.schemas import Count, EventDate, Fen, Id, InputSchema, PlanDate, Text
from doudi.reviews import selectors, services

router = Router(tags=["reviews"])


class TaskOut(Schema):
    id: int
    household_id: int
    entitlement_id: int
    program: str
    reason: str
    category: str
    cycle_months: int | None
    due_on: dt.date
    status: str
    outcome: str
    outcome_reason: str
    evaluation_id: int | None
    verification_request_id: int | None
    case_id: int | None
    program_label: str
    school_proof: str


class ScanIn(InputSchema):
    region: Text(12)
    as_of: PlanDate


class ScanOut(Schema):
    id: int
    state: str
    done_count: int
    total_count: int
    created_count: int


class OpenIn(InputSchema):
    entitlement_id: Id
    reason: Text(12)
    note: Text(300)
    key: Text(40) = ""


class DecideIn(InputSchema):
    outcome: Text(10)
    reason: Text(500)
    proposed_monthly_fen: Fen | None = None
    grace_months: Count | None = None
    school_proof: Text(200) = ""


class OverpaymentIn(InputSchema):
    entitlement_id: Id
    reason: Text(20)
    should_stop_on: EventDate
    due_monthly_fen: Fen = 0
    review_id: Id | None = None
    note: Text(300) = ""


class OverpaymentOut(Schema):
    id: int
    household_id: int
    entitlement_id: int
    reason: str
    from_month: dt.date
    months: list[str]
    amount_fen: int
    recovered_fen: int
    balance_fen: int
    status: str
    fine_fen: int | None
    fine_decision_ref: str


class RecoveryIn(InputSchema):
    amount_fen: Fen
    received_on: EventDate
    method: Text(10)
    note: Text(200) = ""


class WaiveIn(InputSchema):
    reason: Text(300)


class FineIn(InputSchema):
    fine_fen: Fen
    decision_ref: Text(60)
    decided_on: EventDate


class CreditIn(InputSchema):
    household_id: Id
    person_id: Id | None = None
    reason: Text(16)
    detail: Text(300)
    decided_on: EventDate
    source: Text(14)
    period_start: PlanDate | None = None
    period_end: PlanDate | None = None
    decision_ref: Text(60) = ""


class CreditOut(Schema):
    id: int
    household_id: int
    person_id: int | None
    reason: str
    detail: str
    decided_on: dt.date
    period_start: dt.date
    period_end: dt.date | None
    source: str
    decision_ref: str


class JobOfferIn(InputSchema):
    household_id: Id
    person_id: Id
    offered_on: EventDate
    department: Text(60)
    result: Text(10)
    position: Text(100) = ""
    refusal_reason: Text(200) = ""
    good_reason: bool = False


class JobOfferOut(Schema):
    id: int
    household_id: int
    person_id: int
    offered_on: dt.date
    department: str
    result: str
    good_reason: bool
    flagged: bool
    case_id: int | None
    flag_note: str


def _task(t) -> dict:
    return {"id": t.pk, "household_id": t.household_id, "entitlement_id": t.entitlement_id,
            "program": t.entitlement.program, "reason": t.reason, "category": t.category,
            "cycle_months": t.cycle_months, "due_on": t.due_on, "status": t.status, "outcome": t.outcome,
            "outcome_reason": t.outcome_reason, "evaluation_id": t.evaluation_id,
            "verification_request_id": t.verification_request_id, "case_id": t.case_id,
            "program_label": str(t.entitlement.get_program_display()), "school_proof": t.school_proof}


def _op(o) -> dict:
    return {"id": o.pk, "household_id": o.household_id, "entitlement_id": o.entitlement_id, "reason": o.reason,
            "from_month": o.from_month, "months": o.months, "amount_fen": o.amount_fen,
            "recovered_fen": o.recovered_fen, "balance_fen": o.balance_fen, "status": o.status,
            "fine_fen": o.fine_fen, "fine_decision_ref": o.fine_decision_ref}


@router.get("/tasks", response=list[TaskOut])
@paged
def list_tasks(request, when: str = "", status: str = ""):
    return Rows(stable(selectors.review_list(actor=request.user, when=when, status=status)), _task)


@router.post("/tasks", response=TaskOut)
def open_task(request, data: OpenIn):
    # The services scope the id themselves (missing and out of scope: the same 404).
    return _task(services.review_open(actor=request.user, entitlement=data.entitlement_id, reason=data.reason,
                                      note=data.note, key=data.key))


@router.get("/tasks/{pk}", response=TaskOut)
def get_task(request, pk: Id):
    return _task(selectors.review_get(actor=request.user, pk=pk))


@router.post("/tasks/{pk}/verify", response=TaskOut)
def verify(request, pk: Id):
    return _task(services.review_verify(actor=request.user, task=pk))


@router.post("/tasks/{pk}/evaluate", response=TaskOut)
def evaluate(request, pk: Id):
    return _task(services.review_evaluate(actor=request.user, task=pk))


@router.post("/tasks/{pk}/decide", response=TaskOut)
def decide(request, pk: Id, data: DecideIn):
    return _task(services.review_decide(actor=request.user, task=pk, outcome=data.outcome, reason=data.reason,
                                        proposed_monthly_fen=data.proposed_monthly_fen,
                                        grace_months=data.grace_months, school_proof=data.school_proof))


@router.post("/scan", response=ScanOut)
def scan(request, data: ScanIn):
    s = services.review_scan(actor=request.user, region_code=data.region, as_of=data.as_of)
    return {"id": s.pk, "state": s.state, "done_count": s.done_count, "total_count": s.total_count,
            "created_count": s.created_count}


@router.get("/overpayments", response=list[OverpaymentOut])
@paged
def list_overpayments(request, open_only: bool = False):
    return Rows(stable(selectors.overpayment_list(actor=request.user, open_only=open_only)), _op)


@router.post("/overpayments", response=OverpaymentOut)
def create_overpayment(request, data: OverpaymentIn):
    review = selectors.review_get(actor=request.user, pk=data.review_id) if data.review_id else None
    return _op(services.overpayment_create(actor=request.user, entitlement=data.entitlement_id, reason=data.reason,
                                           should_stop_on=data.should_stop_on, due_monthly_fen=data.due_monthly_fen,
                                           review=review, note=data.note))


@router.get("/overpayments/{pk}", response=OverpaymentOut)
def get_overpayment(request, pk: Id):
    return _op(selectors.overpayment_get(actor=request.user, pk=pk))


@router.post("/overpayments/{pk}/recoveries", response=OverpaymentOut)
def add_recovery(request, pk: Id, data: RecoveryIn):
    services.recovery_record(actor=request.user, overpayment=pk, amount_fen=data.amount_fen,
                             received_on=data.received_on, method=data.method, note=data.note)
    return _op(selectors.overpayment_get(actor=request.user, pk=pk))


@router.post("/overpayments/{pk}/waive", response=OverpaymentOut)
def waive(request, pk: Id, data: WaiveIn):
    return _op(services.overpayment_waive(actor=request.user, overpayment=pk, reason=data.reason))


@router.post("/overpayments/{pk}/fine", response=OverpaymentOut)
def fine(request, pk: Id, data: FineIn):
    return _op(services.fine_record(actor=request.user, overpayment=pk, fine_fen=data.fine_fen,
                                    decision_ref=data.decision_ref, decided_on=data.decided_on))


@router.get("/credit", response=list[CreditOut])
@paged
def list_credit(request, household_id: Id | None = None):
    return stable(selectors.credit_records(actor=request.user, household_id=household_id))


@router.post("/credit", response=CreditOut)
def add_credit(request, data: CreditIn):
    return services.credit_record_add(
        actor=request.user, household=data.household_id, person=data.person_id, reason=data.reason,
        detail=data.detail, decided_on=data.decided_on, source=data.source, period_start=data.period_start,
        period_end=data.period_end, decision_ref=data.decision_ref)


@router.get("/job-offers", response=list[JobOfferOut])
@paged
def list_job_offers(request, household_id: Id | None = None, flagged: bool = False):
    return stable(selectors.job_offers(actor=request.user, household_id=household_id, flagged=flagged))


@router.post("/job-offers", response=JobOfferOut)
def add_job_offer(request, data: JobOfferIn):
    return services.job_offer_record(
        actor=request.user, household=data.household_id, person=data.person_id, offered_on=data.offered_on,
        department=data.department, result=data.result, position=data.position,
        refusal_reason=data.refusal_reason, good_reason=data.good_reason)
