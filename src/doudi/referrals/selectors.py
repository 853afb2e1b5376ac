"""Referral reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.core.errors import NotFoundOrForbidden
from doudi.referrals.choices import FINAL_STATUSES, ReferralStatus
from doudi.referrals.models import VIEW, Referral
from doudi.registry.models import Household

if TYPE_CHECKING:
    from doudi.accounts.models import User


def inbox_filters(params) -> dict:
    """The inbox's filters from a query string: the screen (``views.inbox``) and its export
    (``exports.inbox_export``) both read them here. An unknown status means all statuses."""
    status = params.get("status", "")
    return {"status": status if status in ReferralStatus.values else "", "overdue": params.get("overdue") == "1"}


def referral_list(
    *,
    actor: User,
    action: str = VIEW,
    household_id: int | None = None,
    status: str = "",
    overdue: bool = False,
    today: dt.date | None = None,
) -> QuerySet:
    qs = Referral.objects.restrict(actor, action).select_related("household", "region")
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.overdue(today or timezone.localdate())
    return qs


def referral_get(*, actor: User, pk: int, action: str = VIEW) -> Referral:
    found = Referral.objects.restrict(actor, action).select_related("household", "region").filter(pk=pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该转办事项，或不在您的权限范围内"))
    return found


def overdue_referrals(*, actor: User, today: dt.date) -> QuerySet:
    return Referral.objects.restrict(actor, VIEW).overdue(today)


@dataclass(frozen=True)
class FeedbackItem:
    need: str
    department: str
    status: str
    answered: bool
    answer: str
    sent_on: dt.date
    answered_on: dt.date | None
    deadline: dt.date


def household_feedback(household: Household) -> list[FeedbackItem]:
    """多线受理、一门反馈: every referral of the household and its answer, in one list for the applicant.

    Reads by household; the caller has checked the household is in scope. Staff names are not shown.
    """
    items = []
    for r in Referral.objects.filter(household=household).order_by("created_at", "id"):
        items.append(
            FeedbackItem(
                need=r.get_need_type_display(),
                department=r.get_department_display(),
                status=r.get_status_display(),
                answered=r.status in FINAL_STATUSES,
                answer=r.answer,
                sent_on=timezone.localdate(r.created_at),
                answered_on=timezone.localdate(r.answered_at) if r.answered_at else None,
                deadline=r.deadline,
            )
        )
    return items
