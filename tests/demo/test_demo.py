"""The demo city: its jurisdiction tree, the synthetic population, the demo logins and the ``doudi demo`` command."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from doudi.accounts.models import User
from doudi.benefits.models import Entitlement
from doudi.demo.population import delete_demo_population, generate
from doudi.demo.regions import CITY_CODE, CITY_PROFILE, build_demo_regions
from doudi.eligibility.models import Evaluation
from doudi.regions.choices import Level
from doudi.regions.models import Region
from doudi.registry.models import EVIDENCE_MODELS, Household, Income, Membership, Person, SupportObligation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_regions():
    return build_demo_regions()


def _counts() -> dict[str, int]:
    counts = {m.__name__: m.objects.count() for m in (Region, Household, Person, Membership, User, *EVIDENCE_MODELS)}
    counts["grants"] = sum(u.grants.count() for u in User.objects.all())
    counts["entitlements"] = Entitlement.objects.count()
    counts["evaluations"] = Evaluation.objects.count()
    return counts


def test_tree_has_one_city_two_counties_four_townships_and_a_dozen_villages(demo_regions):
    levels = Counter(Region.objects.values_list("level", flat=True))
    assert levels[Level.PROVINCE] == 1
    assert levels[Level.CITY] == 1
    assert levels[Level.COUNTY] == 2
    assert levels[Level.TOWNSHIP] == 4
    assert 10 <= levels[Level.VILLAGE] <= 14
    city = Region.objects.get(code=CITY_CODE)
    assert city.profile == CITY_PROFILE
    for region in Region.objects.exclude(level=Level.PROVINCE):
        region.full_clean()  # code nests under the parent's prefix, one level down, zero-padded
        assert region.code.startswith(region.parent.prefix)
        assert region.effective_profile() == CITY_PROFILE
    for township in Region.objects.filter(level=Level.TOWNSHIP):
        assert township.children.count() >= 2
    villages = Region.objects.filter(level=Level.VILLAGE)
    assert {"urban", "rural"} <= set(villages.values_list("area_type", flat=True))


def test_building_the_tree_twice_changes_nothing(demo_regions):
    before = list(Region.objects.values_list("code", "name", "parent_id", "level", "area_type", "profile"))
    build_demo_regions()
    assert list(Region.objects.values_list("code", "name", "parent_id", "level", "area_type", "profile")) == before


def test_population_has_a_poor_tail_and_elders_with_supporters(demo_regions):
    generate(1500, seed=11)
    countable = {"wage", "business", "property", "transfer", "other"}
    income: Counter[int] = Counter()
    for person_id, fen in Income.objects.filter(kind__in=countable).values_list("person_id", "monthly_fen"):
        income[person_id] += fen
    below = 0
    for household in Household.objects.prefetch_related("memberships"):
        members = [m.person_id for m in household.memberships.all()]
        standard = 90_000 if household.area_type == "urban" else 70_000
        if sum(income[p] for p in members) < standard * len(members):
            below += 1
    assert 0.02 * 1500 <= below <= 0.08 * 1500
    assert SupportObligation.objects.exists()


def test_same_seed_gives_the_same_people(demo_regions):
    generate(40, seed=3)
    first = sorted(Person.objects.values_list("id_number", "name"))
    delete_demo_population()
    assert not Person.objects.exists()
    generate(40, seed=3)
    assert sorted(Person.objects.values_list("id_number", "name")) == first


def test_demo_command_is_idempotent(demo_regions):
    out = io.StringIO()
    call_command("demo", "--no-serve", "--households", "60", "--seed", "5", stdout=out)
    text = out.getvalue()
    assert "生成人口 60/60 户" in text
    assert "doudi-demo" in text and "township2" in text
    assert "政策测算 60/60 户" in text  # the rules engine enrolled the current recipients
    first = _counts()
    assert first["Household"] == 60
    out = io.StringIO()
    call_command("demo", "--no-serve", "--households", "60", "--seed", "5", stdout=out)
    assert "已有演示人口" in out.getvalue() and "已有在册对象" in out.getvalue()
    assert _counts() == first


def test_demo_command_reset_regenerates(demo_regions):
    call_command("demo", "--no-serve", "--households", "30", stdout=io.StringIO())
    call_command("demo", "--no-serve", "--households", "30", "--reset", stdout=io.StringIO())
    assert Household.objects.count() == 30
    assert User.objects.get(username="applicant").person is not None


def test_generation_output_never_shows_id_numbers(demo_regions):
    out = io.StringIO()
    call_command("demo", "--no-serve", "--households", "20", stdout=out)
    text = out.getvalue()
    assert not any(number in text for number in Person.objects.values_list("id_number", flat=True))


