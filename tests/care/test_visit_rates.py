"""Visit rates over many villages (探访率, [001] 二、10): which profile each village follows is read once per read,
not once per village, and it is the profile ``Region.effective_profile`` gives."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doudi.care.models import CareVisit, VisitTarget
from doudi.care.selectors import ProfileValues, visit_rates
from doudi.regions.models import Region, profile_of
from tests import factories as f

ON = dt.date(2026, 6, 30)


def test_the_profile_table_answers_what_effective_profile_answers(tree):
    tree.city.profile = "hulunbuir"
    tree.city.save()
    tree.town_b.profile = "national"
    tree.town_b.save()
    table = Region.profile_table()
    for region in Region.objects.all():
        assert profile_of(region.code, table) == region.effective_profile(), region.code


@pytest.mark.parametrize("villages", [2, 12])
def test_visit_rates_cost_the_same_queries_for_two_villages_or_twelve(tree, people, villages):
    tree.city.profile = "hulunbuir"
    tree.city.save()
    for i in range(villages):
        village = f.region(f"15070200{1 + i % 2:01d}{100 + i:03d}", f"村{i}", "village",
                           tree.town_a if i % 2 == 0 else tree.town_b)
        hh = f.household(village)
        person = hh.memberships.get().person
        target = VisitTarget.objects.create(person=person, household=hh, region=village, group="dispersed_tekun",
                                            since=dt.date(2026, 1, 1))
        if i % 3 == 0:
            CareVisit.objects.create(target=target, region=village, visitor=people.owner,
                                     visited_on=ON - dt.timedelta(days=3), findings="正常")
    with CaptureQueriesContext(connection) as seen:
        rates = visit_rates(actor=people.county, on=ON, values=ProfileValues(ON))
    assert sum(r.targets for r in rates) == villages
    assert sum(r.visited for r in rates) == len(range(0, villages, 3))
    assert len(seen.captured_queries) <= 6, [q["sql"][:120] for q in seen.captured_queries]
