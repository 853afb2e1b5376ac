"""REST endpoints of temporary assistance (/api/temporary/…): stage payments of a temporary case. Scoped like the
screens; a case out of scope answers 404 exactly like a missing one."""

from __future__ import annotations

from ninja import Router, Status

from doudi.cases.api import ERRORS, IdOut
from doudi.core.schemas import Fen, Id, InputSchema
from doudi.temporary import services

router = Router(tags=["temporary"])


class PaymentIn(InputSchema):
    amount_fen: Fen
    from_reserve: bool = False


@router.post("/cases/{case_id}/payments", response={201: IdOut, **ERRORS}, summary="临时救助分阶段发放")
def add_payment(request, case_id: Id, payload: PaymentIn):
    p = services.temporary_pay_stage(actor=request.user, case=case_id, amount_fen=payload.amount_fen,
                                     from_reserve=payload.from_reserve)
    return Status(201, {"id": p.pk})


@router.post("/payments/{payment_id}/confirm", response={200: IdOut, **ERRORS},
             summary="另一名工作人员复核确认备用金先行救助")
def confirm_advance(request, payment_id: Id):
    return services.advance_confirm(actor=request.user, payment=payment_id)


@router.post("/top-ups/{top_up_id}/confirm", response={200: IdOut, **ERRORS},
             summary="另一名工作人员确认备用金拨付入账")
def confirm_top_up(request, top_up_id: Id):
    services.fund_top_up_confirm(actor=request.user, top_up=top_up_id)
    return {"id": top_up_id}
