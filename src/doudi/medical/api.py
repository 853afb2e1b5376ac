"""Medical-assistance API: the medical-insurance department pushes settlements through the data exchange
(部门数据交换). Same loader as the settlement file (``medical.exchange``): all rows or none, Chinese row errors
(422 with ``errors``), once per 结算单号 (a second push of the same rows adds nothing), scoped to the sender's area."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Router, Schema

from doudi.medical.exchange import MAX_ROWS, claims_push

router = Router(tags=["医疗救助"])


class ClaimsPushIn(Schema):
    rows: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=MAX_ROWS)]


class ClaimsPushOut(Schema):
    added: int
    skipped: int


@router.post("/claims/push", response=ClaimsPushOut)
def claims_push_view(request, payload: ClaimsPushIn):
    """Rows keyed 结算单号, 身份证号, 类别 (门诊慢特病/住院/参保资助), 结算日期 (YYYY-MM-DD), 医疗机构,
    个人自付金额 (元), optional 支付对象 (个人/医疗机构) — or settlement_no, id_number, kind, settled_on, hospital,
    oop_yuan, payee. ``added``: new claims (pending the engine's evaluation and a second person's approval);
    ``skipped``: settlements already loaded."""
    return claims_push(actor=request.auth, rows=payload.rows)
