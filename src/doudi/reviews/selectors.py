"""Reads for dynamic management: every function takes the acting user and returns scoped rows (404 = not yours)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.benefits.choices import SPECIAL_PROGRAMS
from doudi.benefits.services import special_end_month, special_person
from doudi.core.errors import NotFoundOrForbidden
from doudi.reviews.choices import ReviewOutcome, ReviewStatus
from doudi.reviews.models import CreditRecord, JobOffer, Overpayment, ReviewTask
from doudi.reviews.schedule import LEAD_DAYS

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from doudi.accounts.models import User

OPEN = [ReviewStatus.OPEN, ReviewStatus.IN_PROGRESS]


def review_list(*, actor: User, when: str = "", status: str = "", region: str = "", today: dt.date | None = None,
                action: str = Action.VIEW) -> QuerySet[ReviewTask]:
    """``when``: ``overdue`` (open, past the due date), ``due`` (open, due within the lead window) or all."""
    today = today or timezone.localdate()
    qs = ReviewTask.objects.restrict(actor, action).select_related("household__region", "entitlement__person",
                                                                    "person")
    if when == "overdue":
        qs = qs.filter(status__in=OPEN, due_on__lt=today)
    elif when == "due":
        qs = qs.filter(status__in=OPEN, due_on__gte=today, due_on__lte=today + dt.timedelta(days=LEAD_DAYS))
    if status:
        qs = qs.filter(status=status)
    if region:
        qs = qs.filter(household__region__code__startswith=region)
    return qs.order_by("due_on", "id")


def review_get(*, actor: User, pk: int, action: str = Action.VIEW_FULL) -> ReviewTask:
    task = (ReviewTask.objects.restrict(actor, action).select_related("household__region", "entitlement__person",
                                                                       "person",
                                                                       "evaluation", "case", "verification_request")
            .filter(pk=pk).first())
    if task is None:
        raise NotFoundOrForbidden(_("未找到该核查任务，或不在您的辖区内"))
    return task


@dataclass(frozen=True)
class SpecialFinding:
    """The review outcome of a special-group program (孤儿、事实无人抚养儿童, the two disability subsidies) as the
    engine's evaluation of the review gives it for the entitlement's person (``rules.special``): still applies at the
    same amount → continue; at another amount (a care-subsidy grade change) → adjust; no longer → stop, paid through
    ``last_month`` (the engine's month, e.g. when schooling under the extension ended). ``school_extension``: the
    person is paid past the age because of full-time schooling, which the review must re-confirm."""

    outcome: str
    monthly_fen: int
    reasons: list[str] = field(default_factory=list)
    last_month: dt.date | None = None
    school_extension: bool = False


def special_finding(task: ReviewTask) -> SpecialFinding | None:
    """None when the task is not about a special-group program or has no evaluation yet."""
    ent = task.entitlement
    if ent.program not in SPECIAL_PROGRAMS or task.evaluation is None:
        return None
    result = task.evaluation.result
    s = special_person(result, program=ent.program, person_id=ent.person_id)
    if s is None:
        return SpecialFinding(ReviewOutcome.STOP, 0, [_("救助对象已不是本户成员")])
    if not s.get("eligible"):
        why = (s.get("reason") or {}).get("text")
        return SpecialFinding(ReviewOutcome.STOP, 0, [why] if why else [],
                              special_end_month(result, program=ent.program, person_id=ent.person_id))
    amount = int(s.get("monthly_fen") or 0)
    outcome = ReviewOutcome.CONTINUE if amount == ent.monthly_fen else ReviewOutcome.ADJUST
    return SpecialFinding(outcome, amount, [], None, bool(s.get("school_extension")))


def review_suggestion(task: ReviewTask) -> dict | None:
    """What the fresh evaluation suggests (the caseworker decides): same amount → continue (S1 Art 31). For a
    special-group program the engine's answer is the outcome (``special_finding``)."""
    from doudi.eligibility.selectors import program_outcome

    if task.evaluation is None:
        return None
    ent = task.entitlement
    found = special_finding(task)
    if found is not None:
        return {"outcome": ReviewOutcome(found.outcome), "monthly_fen": found.monthly_fen, "reasons": found.reasons,
                "last_month": found.last_month, "school_extension": found.school_extension}
    program = "tekun" if ent.program == "tekun" else "dibao"
    out = program_outcome(task.evaluation, program=program)
    if not out.eligible:
        grace = program_outcome(task.evaluation, program="grace") if program == "dibao" else None
        if grace is not None and grace.eligible:
            return {"outcome": ReviewOutcome.GRACE, "monthly_fen": ent.monthly_fen, "reasons": out.reasons}
        return {"outcome": ReviewOutcome.STOP, "monthly_fen": 0, "reasons": out.reasons}
    if out.monthly_fen == ent.monthly_fen:
        return {"outcome": ReviewOutcome.CONTINUE, "monthly_fen": ent.monthly_fen, "reasons": out.reasons}
    return {"outcome": ReviewOutcome.ADJUST, "monthly_fen": out.monthly_fen, "reasons": out.reasons}


def overpayment_list(*, actor: User, open_only: bool = False, action: str = Action.VIEW_FULL) -> QuerySet[Overpayment]:
    qs = Overpayment.objects.restrict(actor, action).select_related("household__region", "entitlement")
    if open_only:
        qs = qs.filter(status__in=["open", "partial"])
    return qs


def overpayment_get(*, actor: User, pk: int) -> Overpayment:
    op = overpayment_list(actor=actor).filter(pk=pk).first()
    if op is None:
        raise NotFoundOrForbidden(_("未找到该追回台账，或不在您的辖区内"))
    return op


def credit_records(*, actor: User, household_id: int | None = None) -> QuerySet[CreditRecord]:
    qs = CreditRecord.objects.restrict(actor, Action.VIEW_FULL).select_related("household", "person")
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    return qs


def job_offers(*, actor: User, household_id: int | None = None, flagged: bool = False) -> QuerySet[JobOffer]:
    qs = JobOffer.objects.restrict(actor, Action.VIEW_FULL).select_related("household", "person", "case")
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    if flagged:
        qs = qs.filter(flagged=True)
    return qs
