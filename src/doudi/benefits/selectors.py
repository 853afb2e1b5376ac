"""Who is already covered by a basic-living program (低保 or 特困), read across every jurisdiction.

One basic-living program per person (issue 8 item 4; [000] 三(二)2: 特困 persons are not also in the 低保 unit): a
person is covered by a personal entitlement (特困, 单人户) naming them, or by a whole household's 低保 whose unit
includes them (the unit is the evaluation's ``dibao.person_ids``; without a stored evaluation, every member of the
household at the date). The lookup is deliberately *not* scoped: an overlap in another county must be found. Callers
outside that county learn only the fact and the program, never the other area's details (``Coverage.elsewhere``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from doudi.benefits.choices import EntitlementStatus, Program
from doudi.benefits.models import Entitlement
from doudi.registry.models import Membership

BASIC = (Program.DIBAO, Program.DIBAO_SINGLE, Program.TEKUN)
LIVE = (EntitlementStatus.ACTIVE, EntitlementStatus.GRACE)


@dataclass(frozen=True)
class Coverage:
    person_id: int
    program: str
    entitlement_id: int
    household_id: int
    region_code: str

    def elsewhere(self, county_prefix: str) -> bool:
        return not self.region_code.startswith(county_prefix)


def _live(from_month: dt.date):
    # Unscoped on purpose (module docstring): the overlap check must see every area.
    return Entitlement.objects.filter(program__in=BASIC, status__in=LIVE).filter(
        Q(end_month__isnull=True) | Q(end_month__gte=from_month))


def _unit(ent: Entitlement, on: dt.date) -> set[int]:
    ids = ((ent.evaluation.result.get("dibao") or {}).get("person_ids") if ent.evaluation_id else None) or []
    if ids:
        return {int(i) for i in ids}
    return set(Membership.objects.filter(household_id=ent.household_id).as_of(on).values_list("person_id", flat=True))


def basic_coverage(person_ids: Iterable[int], *, from_month: dt.date) -> list[Coverage]:
    """Every live basic-living coverage (active or in 渐退, not ended before ``from_month``) of these persons."""
    ids = set(person_ids)
    if not ids:
        return []
    live = _live(from_month).select_related("household", "evaluation")
    out = [Coverage(e.person_id, e.program, e.pk, e.household_id, e.household.region_id)
           for e in live.filter(person_id__in=ids)]
    households = Membership.objects.filter(person_id__in=ids).as_of(from_month).values("household_id")
    for ent in live.filter(program=Program.DIBAO, person__isnull=True, household_id__in=households):
        for pid in sorted(_unit(ent, from_month) & ids):
            out.append(Coverage(pid, ent.program, ent.pk, ent.household_id, ent.household.region_id))
    return out


def personal_coverage(person_ids: Iterable[int], *, programs: Iterable[str], from_month: dt.date) -> list[Coverage]:
    """Live personal entitlements of these persons in ``programs`` (special groups; unscoped, as ``basic_coverage``)."""
    ids, progs = set(person_ids), list(programs)
    if not ids or not progs:
        return []
    live = Entitlement.objects.filter(program__in=progs, status__in=LIVE, person_id__in=ids).filter(
        Q(end_month__isnull=True) | Q(end_month__gte=from_month)).select_related("household")
    return [Coverage(e.person_id, e.program, e.pk, e.household_id, e.household.region_id) for e in live]
