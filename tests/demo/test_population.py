"""The demo's synthetic population and logins, read from one population of 300 households built once for the module
(the tests that write, like creating the demo users again, do it inside their own test transaction)."""

from __future__ import annotations

from collections import Counter

import pytest

from doudi.accounts.choices import Department, Role
from doudi.accounts.models import User
from doudi.core.ids import parse_resident_id
from doudi.demo.population import generate
from doudi.demo.regions import CITY_CODE, build_demo_regions
from doudi.demo.users import DEMO_PASSWORD, create_demo_users
from doudi.regions.choices import Level
from doudi.registry.choices import Relationship
from doudi.registry.models import Expense, Household, Income, Membership, Person
from tests.demo.conftest import shared_data

pytestmark = pytest.mark.django_db


def _build():
    build_demo_regions()
    return generate(300, seed=7)


@pytest.fixture(scope="module")
def small_population(django_db_setup, django_db_blocker):
    yield from shared_data(django_db_blocker, _build)


EXPECTED_GRANTS = {
    "applicant": set(),
    "village": {(Role.VILLAGE_ASSISTANT, "150702100201")},
    "township": {(Role.TOWNSHIP_CASEWORKER, "150702100000")},
    "township2": {(Role.TOWNSHIP_CASEWORKER, "150702001000")},
    "county": {(Role.CIVIL_AFFAIRS, "150702000000")},
    "city": {(Role.CIVIL_AFFAIRS, CITY_CODE)},
    # Each office's second person (maker-checker): the same grant as their colleague.
    "township_b": {(Role.TOWNSHIP_CASEWORKER, "150702100000")},
    "township2_b": {(Role.TOWNSHIP_CASEWORKER, "150702001000")},
    "county_b": {(Role.CIVIL_AFFAIRS, "150702000000")},
    "city_b": {(Role.CIVIL_AFFAIRS, CITY_CODE)},
    "medical": {(Role.DEPARTMENT, CITY_CODE)},
    "auditor": {(Role.AUDITOR, CITY_CODE)},
    "admin": {(Role.ADMINISTRATOR, CITY_CODE)},
}


def test_people_have_valid_unique_ids_matching_their_birth_date_and_sex(small_population):
    people = list(Person.objects.all())
    assert len(people) >= 300
    assert len({p.id_number for p in people}) == len(people)
    for person in people:
        rid = parse_resident_id(person.id_number)  # raises on an invalid number or an area code of the wrong year
        assert (rid.birth_date, rid.sex) == (person.birth_date, person.sex)
        assert person.name and len(person.name) >= 2


def test_every_household_has_exactly_one_head_and_lives_in_a_demo_village(small_population):
    households = Household.objects.all()
    assert households.count() == 300
    heads = Counter(Membership.objects.filter(relationship=Relationship.HEAD).values_list("household_id", flat=True))
    assert set(heads) == set(households.values_list("id", flat=True))
    assert set(heads.values()) == {1}
    for household in households.select_related("region"):
        assert household.region.level == Level.VILLAGE
        assert household.number.startswith(household.region.code)
        assert household.area_type == household.region.area_type
        assert household.address
    sizes = Counter(Membership.objects.values_list("household_id", flat=True)).values()
    assert min(sizes) == 1 and max(sizes) <= 6


def test_memberships_start_no_earlier_than_birth(small_population):
    for membership in Membership.objects.select_related("person"):
        assert membership.valid_from >= membership.person.birth_date


def test_evidence_amounts_are_whole_non_negative_fen(small_population):
    for model in (Income, Expense):
        amounts = list(model.objects.values_list("monthly_fen", flat=True))
        assert amounts
        assert all(isinstance(a, int) and a >= 0 for a in amounts)
    kinds = set(Income.objects.values_list("kind", flat=True))
    assert {"wage", "business", "basic_pension"} <= kinds


def test_each_demo_user_has_the_grants_of_its_role(small_population):
    create_demo_users()
    create_demo_users()  # idempotent
    for username, grants in EXPECTED_GRANTS.items():
        user = User.objects.get(username=username)
        assert set(user.grants.values_list("role", "region_id")) == grants, username
        assert user.check_password(DEMO_PASSWORD)
        assert user.display_name
    applicant = User.objects.get(username="applicant")
    assert applicant.person is not None
    assert Membership.objects.filter(person=applicant.person, household__region_id="150702100201").exists()
    assert Role.APPLICANT in applicant.roles
    assert User.objects.get(username="medical").department == Department.MEDICAL_SECURITY
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert not User.objects.get(username="city").is_superuser


def test_township_user_sees_only_its_township(small_population):
    create_demo_users()
    township = User.objects.get(username="township")
    visible = Household.objects.restrict(township, "view")
    assert visible.exists()
    assert all(code.startswith("150702100") for code in visible.values_list("region_id", flat=True))
    assert Household.objects.restrict(User.objects.get(username="city"), "view").count() == 300
