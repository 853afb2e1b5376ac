"""Verification API: authorisations, requests, runs, reports and accepting findings. Scoped; 404 for out of scope."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from doudi.accounts.choices import Action
from doudi.core.errors import NotFoundOrForbidden
from doudi.core.pagination import Rows, paged, stable
from doudi.core.schemas import EventDate, Id, InputSchema, PlanDate, Text
from doudi.registry.selectors import household_get
from doudi.verification import selectors, services

router = Router(tags=["家庭经济状况核对"])


class AuthorisationIn(InputSchema):
    household_id: Id
    person_id: Id
    method: Text(16)
    signed_at: EventDate
    valid_until: PlanDate | None = None
    signature_ref: Text(64) = ""


class AuthorisationOut(Schema):
    id: int
    household_id: int
    person_id: int
    person_name: str
    role: str
    method: str
    signed_at: dt.date
    valid_until: dt.date | None
    revoked: bool


class RequestIn(InputSchema):
    household_id: Id
    include_supporters: bool = False
    application_id: Id | None = None
    as_of: PlanDate | None = None


class RequestOut(Schema):
    id: int
    household_id: int
    application_id: int | None
    include_supporters: bool
    as_of: dt.date
    due: dt.date
    status: str
    report_id: int | None


class DiscrepancyOut(Schema):
    id: int
    person_id: int
    person_name: str
    kind: str
    category: str
    evidence_kind: str
    declared_fen: int | None
    found_fen: int | None
    found_quantity: int
    description: str
    source: str
    status: str


class ReportOut(Schema):
    id: int
    request_id: int
    household_id: int
    as_of: dt.date
    produced_at: dt.datetime
    sources: list[dict]
    findings_count: int
    discrepancies: list[DiscrepancyOut]


class ResolveIn(InputSchema):
    note: Text(300) = ""


def _auth_out(a) -> dict:
    return {
        "id": a.pk,
        "household_id": a.household_id,
        "person_id": a.person_id,
        "person_name": a.person.name,
        "role": a.role,
        "method": a.method,
        "signed_at": a.signed_at,
        "valid_until": a.valid_until,
        "revoked": a.revoked,
    }


def _request_out(r) -> dict:
    report = getattr(r, "report", None) if r.status == "completed" else None
    return {
        "id": r.pk,
        "household_id": r.household_id,
        "application_id": r.application_id,
        "include_supporters": r.include_supporters,
        "as_of": r.as_of,
        "due": r.due,
        "status": r.status,
        "report_id": report.pk if report else None,
    }


def _discrepancy_out(d) -> dict:
    return {
        "id": d.pk,
        "person_id": d.person_id,
        "person_name": d.person.name,
        "kind": d.kind,
        "category": d.category,
        "evidence_kind": d.evidence_kind,
        "declared_fen": d.declared_fen,
        "found_fen": d.found_fen,
        "found_quantity": d.found_quantity,
        "description": d.description,
        "source": d.source,
        "status": d.status,
    }


def _report_out(report) -> dict:
    return {
        "id": report.pk,
        "request_id": report.request_id,
        "household_id": report.request.household_id,
        "as_of": report.request.as_of,
        "produced_at": report.produced_at,
        "sources": report.sources,
        "findings_count": len(report.findings),
        "discrepancies": [_discrepancy_out(d) for d in report.discrepancies.select_related("person")],
    }


@router.get("/authorisations/", response=list[AuthorisationOut])
@paged
def list_authorisations(request, household_id: Id | None = None):
    return Rows(stable(selectors.authorisation_list(actor=request.user, household_id=household_id)), _auth_out)


@router.post("/authorisations/", response={201: AuthorisationOut})
def record_authorisation(request, payload: AuthorisationIn):
    household = household_get(actor=request.user, pk=payload.household_id, action=Action.CHANGE)
    signers = selectors.required_signers(household=household, as_of=payload.signed_at, include_supporters=True)
    person = next((s.person for s in signers if s.person.pk == payload.person_id), None)
    if person is None:  # not a member or supporter of this household: same answer as "no such person"
        raise NotFoundOrForbidden(_("未找到该人员，或不在您的辖区内"))
    auth = services.authorisation_record(
        actor=request.user,
        household=household,
        person=person,
        method=payload.method,
        signed_at=payload.signed_at,
        valid_until=payload.valid_until,
        signature_ref=payload.signature_ref,
    )
    return Status(201, _auth_out(auth))


@router.get("/requests/", response=list[RequestOut])
@paged
def list_requests(request, household_id: Id | None = None):
    qs = selectors.request_list(actor=request.user, household_id=household_id).select_related("report")
    return Rows(stable(qs), _request_out)


@router.post("/requests/", response={201: RequestOut})
def create_request(request, payload: RequestIn):
    household = household_get(actor=request.user, pk=payload.household_id, action=Action.CHANGE)
    req = services.verification_request(
        actor=request.user,
        household=household,
        include_supporters=payload.include_supporters,
        application_id=payload.application_id,
        as_of=payload.as_of,
    )
    return Status(201, _request_out(req))


@router.post("/requests/{request_id}/run/", response={201: ReportOut})
def run_request(request, request_id: Id):
    req = selectors.request_get(actor=request.user, pk=request_id, action=Action.CHANGE)
    report = services.verification_run(actor=request.user, request=req)
    return Status(201, _report_out(report))


@router.get("/reports/{report_id}/", response=ReportOut)
def get_report(request, report_id: Id):
    return _report_out(selectors.report_view(actor=request.user, pk=report_id))


@router.post("/discrepancies/{discrepancy_id}/accept/", response=DiscrepancyOut)
def accept_discrepancy(request, discrepancy_id: Id, payload: ResolveIn):
    d = selectors.discrepancy_get(actor=request.user, pk=discrepancy_id)
    return _discrepancy_out(services.discrepancy_accept(actor=request.user, discrepancy=d, note=payload.note))


@router.post("/discrepancies/{discrepancy_id}/dismiss/", response=DiscrepancyOut)
def dismiss_discrepancy(request, discrepancy_id: Id, payload: ResolveIn):
    d = selectors.discrepancy_get(actor=request.user, pk=discrepancy_id)
    return _discrepancy_out(services.discrepancy_dismiss(actor=request.user, discrepancy=d, note=payload.note))
