"""Schedule rules ([000] 三(二)4; S1 Art 31; S5 §1(3)) as data, then as the scan applies them to households."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.registry.services import person_record_death
from doudi.reviews import schedule
from doudi.reviews.choices import ReviewCategory, ReviewReason
from doudi.reviews.models import ReviewTask
from doudi.reviews.services import review_scan
from tests.reviews.conftest import entitlement, flexible, members, not_able

D = dt.date


@pytest.mark.parametrize(("program", "irregular", "able", "category", "months"), [
    ("tekun", False, False, ReviewCategory.TEKUN, 12),          # 特困: once a year
    ("dibao", False, False, ReviewCategory.STABLE, 12),         # stable 低保: once a year
    ("dibao", True, False, ReviewCategory.UNSTABLE, 6),         # 灵活就业/自主经营: every six months
    ("dibao", False, True, ReviewCategory.UNSTABLE, 6),         # a member able to work: every six months
    ("dibao_single", False, False, ReviewCategory.STABLE, 12),
])
def test_category_and_cycle(program, irregular, able, category, months):
    got = schedule.review_category(program, irregular_income=irregular, able_member=able)
    assert got == category
    assert schedule.cycle_months(got, {}) == months
    # The profile decides when it has a value (review.months.*).
    assert schedule.cycle_months(got, {f"review.months.{category}": 3}) == 3


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2025, 1, 1), 12, D(2026, 1, 1)),
    (D(2025, 8, 31), 6, D(2026, 2, 28)),
    (D(2024, 11, 30), 3, D(2025, 2, 28)),
])
def test_add_months_clamps(day, months, expected):
    assert schedule.add_months(day, months) == expected


def test_death_check_within_three_months():
    assert schedule.death_due(D(2026, 3, 15)) == D(2026, 6, 15)


def _tasks(ent):
    return list(ReviewTask.objects.filter(entitlement=ent).order_by("reason", "due_on"))


def test_stable_dibao_yearly_and_tekun_yearly(tree, one):
    ent = entitlement(one, start=D(2025, 3, 1))
    review_scan(actor=None, region_code=tree.county.code, as_of=D(2025, 12, 1))
    assert _tasks(ent) == []  # not due within 30 days yet
    review_scan(actor=None, region_code=tree.county.code, as_of=D(2026, 2, 10))
    [t] = _tasks(ent)
    assert (t.reason, t.category, t.cycle_months, t.due_on) == ("periodic", "stable", 12, D(2026, 3, 1))


def test_tekun_yearly(tree, one):
    ent = entitlement(one, "tekun", person=members(one)[0], start=D(2025, 5, 1))
    review_scan(actor=None, region_code=tree.town_a.code, as_of=D(2026, 4, 15))
    [t] = _tasks(ent)
    assert (t.category, t.due_on) == ("tekun", D(2026, 5, 1))


def test_flexible_income_half_yearly(tree, one):
    flexible(members(one)[0])
    ent = entitlement(one, start=D(2025, 5, 1))
    review_scan(actor=None, region_code=tree.town_a.code, as_of=D(2025, 11, 1))
    [t] = _tasks(ent)
    assert (t.category, t.cycle_months, t.due_on) == ("unstable", 6, D(2025, 11, 1))


def test_member_able_to_work_half_yearly_unless_assessed_unable(tree, family):
    ent = entitlement(family, start=D(2025, 5, 1))
    review_scan(actor=None, region_code=tree.town_a.code, as_of=D(2025, 11, 1))
    assert [t.cycle_months for t in _tasks(ent)] == [6]
    other = type(family).objects.get(pk=family.pk)
    for p in members(other)[1:]:
        not_able(p)
    ent2 = entitlement(other, program="dibao_single", start=D(2025, 5, 1))
    review_scan(actor=None, region_code=tree.town_a.code, as_of=D(2025, 11, 2))
    assert [t.cycle_months for t in _tasks(ent2)] == []  # stable now: due 2026-05-01, outside the window


def test_death_creates_check_due_within_three_months(tree, people, family):
    ent = entitlement(family, start=D(2025, 1, 1))
    dead = members(family)[1]
    person_record_death(actor=people.owner, person=dead, date_of_death=D(2025, 9, 20))
    review_scan(actor=None, region_code=tree.town_a.code, as_of=D(2025, 10, 1))
    [t] = [t for t in _tasks(ent) if t.reason == ReviewReason.DEATH]
    assert (t.person_id, t.due_on) == (dead.pk, D(2025, 12, 20))


def test_completed_review_restarts_the_cycle(tree, one):
    ent = entitlement(one, start=D(2025, 1, 1))
    review_scan(actor=None, region_code=tree.town_a.code, as_of=D(2025, 12, 15))
    [t] = _tasks(ent)
    t.status, t.decided_on, t.outcome = "done", D(2026, 1, 10), "continue"
    t.save()
    review_scan(actor=None, region_code=tree.town_a.code, as_of=D(2026, 12, 20))
    assert [x.due_on for x in _tasks(ent)] == [D(2026, 1, 1), D(2027, 1, 10)]
