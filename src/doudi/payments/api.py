"""REST endpoints for payroll (/api/payments/…). Scoped like the screens; errors are ``{code, message, field}``."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from doudi.core.pagination import Rows, paged, stable
from doudi.core.schemas import Id, InputSchema, Month, Text
from doudi.payments import bankfiles, selectors, services
from doudi.payments.choices import PayrollStatus
from doudi.payments.generation import payroll_generate

router = Router(tags=["payments"])


class PayrollIn(InputSchema):
    region: Text(12)
    program: Text(16) = "dibao"
    month: Month


class PayrollOut(Schema):
    id: int
    region_code: str
    program: str
    month: dt.date
    batch: int
    status: str
    gen_state: str
    done_count: int
    total_count: int
    line_count: int
    total_fen: int


class TransitionIn(InputSchema):
    # One name for the target of every transition in the API: cases, referrals and payrolls all take ``to_state``.
    to_state: PayrollStatus
    reason: Text(500) = ""


class ReconciliationOut(Schema):
    expected_fen: int
    paid_fen: int
    failed_fen: int
    pending: int
    balanced: bool


class PaymentLineOut(Schema):
    reference: str
    month: str
    program: str
    kind: str
    amount_fen: int
    status: str


def _out(p) -> dict:
    return {"id": p.pk, "region_code": p.region_id, "program": p.program, "month": p.month, "batch": p.batch,
            "status": p.status, "gen_state": p.gen_state, "done_count": p.done_count, "total_count": p.total_count,
            "line_count": p.line_count, "total_fen": p.total_fen}


@router.get("/payrolls", response=list[PayrollOut])
@paged
def list_payrolls(request):
    return Rows(stable(selectors.payroll_list(actor=request.user)), _out)


@router.post("/payrolls", response=PayrollOut)
def create_payroll(request, data: PayrollIn):
    return _out(services.payroll_create(actor=request.user, region_code=data.region, program=data.program,
                                        month=data.month))


@router.get("/payrolls/{pk}", response=PayrollOut)
def get_payroll(request, pk: Id):
    return _out(selectors.payroll_get(actor=request.user, pk=pk))


@router.post("/payrolls/{pk}/generate", response=PayrollOut)
def generate(request, pk: Id):
    services.payroll_for_change(actor=request.user, payroll_id=pk)
    return _out(payroll_generate(payroll_id=pk, actor=request.user))


@router.post("/payrolls/{pk}/transition", response=PayrollOut)
def transition(request, pk: Id, data: TransitionIn):
    return _out(services.payroll_transition(actor=request.user, payroll_id=pk, to=data.to_state, reason=data.reason))


@router.get("/payrolls/{pk}/reconciliation", response=ReconciliationOut)
def reconciliation(request, pk: Id):
    rec = bankfiles.reconciliation(selectors.payroll_get(actor=request.user, pk=pk))
    return {"expected_fen": rec.expected_fen, "paid_fen": rec.paid_fen, "failed_fen": rec.failed_fen,
            "pending": rec.pending, "balanced": rec.balanced}


@router.get("/households/{pk}/payments", response=list[PaymentLineOut])
@paged
def household_payments(request, pk: Id):
    _h, lines, _a = selectors.household_payments(actor=request.user, household_id=pk)
    return Rows(stable(lines), lambda ln: {
        "reference": ln.reference, "month": ln.month.isoformat(), "program": ln.program, "kind": ln.kind,
        "amount_fen": ln.amount_fen, "status": ln.status})
