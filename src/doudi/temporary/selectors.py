from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes, region_q
from doudi.regions.choices import Level
from doudi.regions.models import Region
from doudi.temporary.models import FundMovement, FundTopUp, ReserveFund, TemporaryPayment

if TYPE_CHECKING:
    from doudi.accounts.models import User


def fund_list(*, actor: User) -> QuerySet:
    return ReserveFund.objects.restrict(actor, Action.VIEW).select_related("region").order_by("region__code")


def fund_movements(*, actor: User, fund: ReserveFund) -> QuerySet:
    return FundMovement.objects.restrict(actor, Action.VIEW).filter(fund=fund).select_related("case", "actor")


def townships_without_fund(*, actor: User) -> list[Region]:
    """Townships in the actor's change scope (township or county grants) that have no reserve fund yet."""
    q = region_q("code", [p for p in region_prefixes(actor, Action.CHANGE) if len(p) <= 9])
    if q is None:
        return []
    return list(Region.objects.filter(q, level=Level.TOWNSHIP, reserve_fund__isnull=True).order_by("code")[:200])


def top_ups_pending(*, actor: User) -> QuerySet:
    """Top-ups entered and waiting for a second person's confirmation."""
    return (FundTopUp.objects.restrict(actor, Action.VIEW).filter(confirmed_at__isnull=True)
            .select_related("fund__region", "requested_by").order_by("requested_at", "id"))


def advances_unconfirmed(*, actor: User, today: dt.date) -> list[TemporaryPayment]:
    """Advances paid from the reserve fund and not yet confirmed by a second person, oldest first; each carries
    ``overdue`` (past its confirmation date, or paid before confirmations were recorded)."""
    rows = list(TemporaryPayment.objects.restrict(actor, Action.VIEW)
                .filter(from_reserve=True, confirmed_at__isnull=True)
                .select_related("case__application__applicant", "paid_by").order_by("paid_at", "id")[:200])
    for row in rows:
        row.overdue = row.confirm_due is None or row.confirm_due < today
    return rows


def advances_overdue(*, actor: User, today: dt.date) -> QuerySet:
    return TemporaryPayment.objects.restrict(actor, Action.VIEW).filter(
        Q(confirm_due__lt=today) | Q(confirm_due__isnull=True), from_reserve=True, confirmed_at__isnull=True)
