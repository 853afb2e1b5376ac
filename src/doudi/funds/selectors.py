from __future__ import annotations

from django.db.models import QuerySet

from doudi.accounts.choices import Action
from doudi.funds.models import FundMovement, ReserveFund


def fund_list(*, actor) -> QuerySet:
    return ReserveFund.objects.restrict(actor, Action.VIEW).select_related("region").order_by("region__code")


def fund_movements(*, actor, fund: ReserveFund) -> QuerySet:
    return FundMovement.objects.restrict(actor, Action.VIEW).filter(fund=fund).select_related("case", "actor")
