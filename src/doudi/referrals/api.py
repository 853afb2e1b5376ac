"""Referral API: list, create, transition. Department users see only their department in their region."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Router, Schema, Status

from doudi.accounts.choices import Action
from doudi.core.pagination import Rows, paged, stable
from doudi.core.schemas import Id, InputSchema, Text
from doudi.referrals import selectors, services
from doudi.referrals.choices import ReferralStatus
from doudi.referrals.models import ANSWER
from doudi.registry.selectors import household_get

router = Router(tags=["推送转办"])


class ReferralIn(InputSchema):
    household_id: Id
    need_type: Text(16)
    need_detail: Text(500) = ""
    application_id: Id | None = None


class TransitionIn(InputSchema):
    # ``to_state`` like every transition in the API (cases, payrolls); stored as the referral's status.
    to_state: ReferralStatus
    answer: str = ""


class ReferralOut(Schema):
    id: int
    household_id: int
    application_id: int | None
    need_type: str
    need_detail: str
    department: str
    region_code: str
    status: str
    deadline: dt.date
    overdue: bool
    answer: str


def _out(r, today: dt.date) -> dict:
    return {
        "id": r.pk,
        "household_id": r.household_id,
        "application_id": r.application_id,
        "need_type": r.need_type,
        "need_detail": r.need_detail,
        "department": r.department,
        "region_code": r.region_id,
        "status": r.status,
        "deadline": r.deadline,
        "overdue": r.is_overdue(today),
        "answer": r.answer,
    }


@router.get("/", response=list[ReferralOut])
@paged
def list_referrals(request, household_id: Id | None = None, status: str = "", overdue: bool = False):
    today = timezone.localdate()
    qs = selectors.referral_list(actor=request.user, household_id=household_id, status=status)
    if overdue:
        qs = qs.overdue(today)
    return Rows(stable(qs), lambda r: _out(r, today))


@router.post("/", response={201: ReferralOut})
def create_referral(request, payload: ReferralIn):
    household = household_get(actor=request.user, pk=payload.household_id, action=Action.CHANGE)
    referral = services.referral_create(
        actor=request.user,
        household=household,
        need_type=payload.need_type,
        need_detail=payload.need_detail,
        application_id=payload.application_id,
    )
    return Status(201, _out(referral, timezone.localdate()))


@router.post("/{referral_id}/transition/", response=ReferralOut)
def transition_referral(request, referral_id: Id, payload: TransitionIn):
    referral = selectors.referral_get(actor=request.user, pk=referral_id, action=ANSWER)
    referral = services.referral_transition(
        actor=request.user, referral=referral, to_status=payload.to_state, answer=payload.answer
    )
    return _out(referral, timezone.localdate())
