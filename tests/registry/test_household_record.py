"""``household_record`` reads the household's facts once and gives exactly what ``household_snapshot`` and
``household_timeline`` give separately, on any date (members who left, ended and future evidence included)."""

from __future__ import annotations

import datetime as dt

from doudi.registry.models import Asset, Income, Membership
from doudi.registry.selectors import household_record, household_snapshot, household_timeline
from tests import factories as f


def _shape(snapshot):
    return [(m.membership.pk, m.person.pk, {k: [e.pk for e in v] for k, v in m.evidence.items()})
            for m in snapshot.members]


def test_one_read_gives_the_snapshot_and_the_timeline(tree):
    h = f.household(tree.village_a, members=3, start=dt.date(2020, 1, 1))
    left = Membership.objects.filter(household=h).order_by("id").last()
    Membership.objects.filter(pk=left.pk).update(valid_to=dt.date(2023, 6, 30))
    people = [m.person for m in Membership.objects.filter(household=h).order_by("id")]
    Income.objects.create(person=people[0], kind="wage", monthly_fen=1, valid_from=dt.date(2021, 1, 1),
                          valid_to=dt.date(2022, 12, 31))
    Income.objects.create(person=people[0], kind="wage", monthly_fen=2, valid_from=dt.date(2023, 1, 1))
    Income.objects.create(person=people[2], kind="wage", monthly_fen=3, valid_from=dt.date(2021, 1, 1))
    Asset.objects.create(person=people[1], kind="deposit", value_fen=5, valid_from=dt.date(2030, 1, 1))
    for day in (dt.date(2019, 1, 1), dt.date(2022, 6, 1), dt.date(2023, 6, 30), dt.date(2023, 7, 1),
                dt.date(2031, 1, 1)):
        snapshot, timeline = household_record(h, as_of=day)
        assert _shape(snapshot) == _shape(household_snapshot(h, as_of=day)), day
        assert [(d, k, o.pk) for d, k, o in timeline] == [(d, k, o.pk) for d, k, o in household_timeline(h)]
