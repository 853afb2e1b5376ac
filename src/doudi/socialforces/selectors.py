"""Reads for the social-forces screens, scoped to the actor's jurisdiction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, Sum

from doudi.accounts.choices import Action
from doudi.socialforces.models import (
    ContractPayment,
    Donation,
    DonationUse,
    Helper,
    Match,
    Need,
    Organisation,
    Resource,
    ServiceContract,
)

if TYPE_CHECKING:
    from doudi.accounts.models import User


def overview(*, actor: User) -> dict:
    v = Action.VIEW
    return {
        "organisations": Organisation.objects.restrict(actor, v).select_related("region")[:50],
        "helpers": Helper.objects.restrict(actor, v).select_related("organisation").annotate(
            banked=Sum("hours__minutes"))[:50],
        "needs": Need.objects.restrict(actor, v).select_related("region", "household", "person")[:50],
        "resources": Resource.objects.restrict(actor, v).select_related("organisation", "region")[:50],
        "matches": Match.objects.restrict(actor, v).select_related("need", "resource__organisation")[:50],
        # paid / used: confirmed money only (recorded by one, confirmed by another); pending rows listed apart
        "contracts": ServiceContract.objects.restrict(actor, v).select_related("organisation", "region").annotate(
            paid=Sum("payments__amount_fen", filter=Q(payments__confirmed_by__isnull=False)))[:50],
        "donations": Donation.objects.restrict(actor, v).select_related("recorded_by").annotate(
            used=Sum("uses__amount_fen", filter=Q(uses__confirmed_by__isnull=False)))[:50],
        "pending_payments": ContractPayment.objects.restrict(actor, v).filter(confirmed_by__isnull=True)
        .select_related("contract", "recorded_by")[:50],
        "pending_uses": DonationUse.objects.restrict(actor, v).filter(confirmed_by__isnull=True)
        .select_related("donation", "recorded_by")[:50],
    }
