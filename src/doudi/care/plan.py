"""一户一策, money and services together: everything every program and provider gives one household, with the
follow-ups. Reads only; each part is scoped by its own manager, so a part the actor may not see stays empty."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from doudi.accounts.choices import Action
from doudi.benefits.models import Entitlement
from doudi.care.models import CareAgreement, CareVisit, SupportArrangement
from doudi.monitoring.models import HouseholdPlan
from doudi.referrals.models import Referral
from doudi.registry.models import Household
from doudi.socialforces.models import Match, Need

if TYPE_CHECKING:
    from doudi.accounts.models import User


@dataclass
class Plan:
    household: Household
    money: list
    arrangements: list
    agreements: list
    visits: list
    needs: list
    matches: list
    referrals: list
    plans: list


def household_plan(*, actor: User, household: Household) -> Plan:
    v = Action.VIEW
    return Plan(
        household=household,
        money=list(Entitlement.objects.restrict(actor, v).filter(household=household).select_related("person")
                   .order_by("-start_month")),
        arrangements=list(SupportArrangement.objects.restrict(actor, v).filter(household=household)
                          .select_related("person", "institution")),
        agreements=list(CareAgreement.objects.restrict(actor, v).filter(arrangement__household=household)
                        .select_related("arrangement__person").prefetch_related("warnings")),
        visits=list(CareVisit.objects.restrict(actor, v).filter(target__household=household)
                    .select_related("target__person", "visitor")[:20]),
        needs=list(Need.objects.restrict(actor, v).filter(household=household)),
        matches=list(Match.objects.restrict(actor, v).filter(need__household=household)
                     .select_related("resource__organisation", "need")),
        referrals=list(Referral.objects.restrict(actor, v).filter(household=household)),
        plans=list(HouseholdPlan.objects.restrict(actor, v).filter(household=household)
                   .prefetch_related("measures", "follow_ups")),
    )
