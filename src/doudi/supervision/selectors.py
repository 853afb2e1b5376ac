"""Supervision reads: rounds and items in the user's jurisdiction; published results for the public (counts only)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.core.errors import NotFoundOrForbidden
from doudi.supervision.choices import Finding, ItemStatus, RoundStatus
from doudi.supervision.models import InspectionItem, InspectionRound

if TYPE_CHECKING:
    from doudi.accounts.models import User


def round_list(*, actor: User) -> QuerySet:
    return InspectionRound.objects.restrict(actor, Action.VIEW).select_related("region")


def round_get(*, actor: User, pk: int) -> InspectionRound:
    found = round_list(actor=actor).filter(pk=pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该抽查批次，或不在您的辖区内"))
    return found


def items_for(*, actor: User, round: InspectionRound) -> QuerySet:
    """The round's items the user may see (a township sees its own households' items only)."""
    return (InspectionItem.objects.restrict(actor, Action.VIEW_FULL).filter(round=round)
            .select_related("household__region", "entitlement").prefetch_related("inspectors", "actions"))


def my_items(*, actor: User) -> QuerySet:
    """Items the user was drawn to inspect, still pending (their phone worklist)."""
    return (InspectionItem.objects.filter(inspectors=actor, status=ItemStatus.PENDING)
            .select_related("round", "household__region"))


def item_get(*, actor: User, pk: int, action: str = Action.VIEW_FULL) -> InspectionItem:
    found = (InspectionItem.objects.restrict(actor, action).select_related("round", "household__region",
                                                                            "entitlement")
             .filter(pk=pk).first())
    if found is None and action == Action.VIEW_FULL:
        # A drawn inspector from another township may open the item they were sent to (and only that one).
        found = (InspectionItem.objects.filter(pk=pk, inspectors=actor)
                 .select_related("round", "household__region", "entitlement").first())
    if found is None:
        raise NotFoundOrForbidden(_("未找到该抽查对象，或不在您的辖区内"))
    return found


def item_view_full(*, actor: User, pk: int) -> InspectionItem:
    """An inspection item's page (the household, the inspectors' findings and notes): a full record, audited on
    every view, also when a drawn inspector from another township opens it."""
    from doudi.audit.models import AuditAction
    from doudi.audit.services import audit_record

    found = item_get(actor=actor, pk=pk)
    audit_record(actor=actor, action=AuditAction.VIEW, obj=found, region_code=found.household.region_id)
    return found


@dataclass(frozen=True)
class PublicResult:
    """What 一公开 shows of a round: no names, no households, no villages below the township."""

    title: str
    region: str
    published_on: object
    summary: str
    seed: int
    population: int
    population_digest: str
    inspected: int
    clear: int
    findings: list[tuple[str, int]]
    rectified: int


def public_results(*, prefix: str) -> list[PublicResult]:
    """The last 20 published rounds of the county; public and unauthenticated, so the items are counted by one
    grouped query (round, finding, status) rather than loaded round by round."""
    rounds = list(InspectionRound.objects.filter(status=RoundStatus.PUBLISHED, region__code__startswith=prefix[:6])
                  .select_related("region").order_by("-published_on", "-id")[:20])
    tallies: dict[int, Counter] = {r.pk: Counter() for r in rounds}
    for row in (InspectionItem.objects.filter(round__in=rounds).values("round_id", "finding", "status")
                .annotate(n=Count("id")).order_by()):
        tallies[row["round_id"]][(row["finding"], row["status"])] += row["n"]
    out = []
    for r in rounds:
        tally = tallies[r.pk]
        findings: Counter = Counter()
        for (f, _s), n in tally.items():
            if f and f != Finding.NONE:
                findings[f] += n
        out.append(PublicResult(
            title=r.title, region=r.region.name, published_on=r.published_on, summary=r.public_summary,
            seed=r.seed, population=r.population_count, population_digest=r.population_digest,
            inspected=sum(tally.values()), clear=sum(n for (f, _s), n in tally.items() if f == Finding.NONE),
            findings=[(str(Finding(k).label), v) for k, v in sorted(findings.items())],
            rectified=sum(n for (_f, s), n in tally.items() if s == ItemStatus.RECTIFIED)))
    return out
