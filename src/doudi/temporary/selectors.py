from __future__ import annotations

from django.db.models import QuerySet

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes, region_q
from doudi.regions.choices import Level
from doudi.regions.models import Region
from doudi.temporary.models import FundMovement, ReserveFund


def fund_list(*, actor) -> QuerySet:
    return ReserveFund.objects.restrict(actor, Action.VIEW).select_related("region").order_by("region__code")


def fund_movements(*, actor, fund: ReserveFund) -> QuerySet:
    return FundMovement.objects.restrict(actor, Action.VIEW).filter(fund=fund).select_related("case", "actor")


def townships_without_fund(*, actor) -> list[Region]:
    """Townships in the actor's change scope (township or county grants) that have no reserve fund yet."""
    q = region_q("code", [p for p in region_prefixes(actor, Action.CHANGE) if len(p) <= 9])
    if q is None:
        return []
    return list(Region.objects.filter(q, level=Level.TOWNSHIP, reserve_fund__isnull=True).order_by("code")[:200])
