"""The demo city: its jurisdiction tree, the synthetic population, the demo logins and the ``doudi demo`` command."""

from __future__ import annotations

import io
import itertools
from collections import Counter

import pytest
from django.core.management import call_command

from doudi.accounts.choices import Department, Role
from doudi.accounts.models import User
from doudi.benefits.models import Entitlement
from doudi.core.ids import parse_resident_id
from doudi.demo.population import delete_demo_population, generate
from doudi.demo.regions import CITY_CODE, CITY_PROFILE, build_demo_regions
from doudi.demo.users import DEMO_PASSWORD, create_demo_users
from doudi.eligibility.models import Evaluation
from doudi.regions.choices import Level
from doudi.regions.models import Region
from doudi.registry.choices import Relationship
from doudi.registry.models import EVIDENCE_MODELS, Expense, Household, Income, Membership, Person, SupportObligation

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_regions():
    return build_demo_regions()


@pytest.fixture
def small_population(demo_regions):
    return generate(300, seed=7)


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


EXPECTED_GRANTS = {
    "applicant": set(),
    "village": {(Role.VILLAGE_ASSISTANT, "150702100201")},
    "township": {(Role.TOWNSHIP_CASEWORKER, "150702100000")},
    "township2": {(Role.TOWNSHIP_CASEWORKER, "150702001000")},
    "county": {(Role.CIVIL_AFFAIRS, "150702000000")},
    "city": {(Role.CIVIL_AFFAIRS, CITY_CODE)},
    "medical": {(Role.DEPARTMENT, CITY_CODE)},
    "auditor": {(Role.AUDITOR, CITY_CODE)},
    "admin": {(Role.ADMINISTRATOR, CITY_CODE)},
}


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


def test_demo_recipients_are_the_households_the_engine_finds_eligible(demo_regions):
    call_command("demo", "--no-serve", "--households", "400", "--seed", "11", stdout=io.StringIO())
    entitlements = list(Entitlement.objects.select_related("evaluation"))
    assert entitlements, "a 400-household demo has some recipients"
    for ent in entitlements:
        result = ent.evaluation.result
        if ent.program == "dibao":
            assert result["dibao"]["eligible"] and ent.monthly_fen == result["dibao"]["amount_fen"] > 0
            assert ent.monthly_fen % 100 == 0  # rounded to the yuan
        elif ent.program == "tekun":
            assert result["tekun"]["eligible"]
            assert ent.monthly_fen == result["tekun"]["basic_fen"] + result["tekun"]["care_fen"]
        assert ent.start_month.day == 1


def test_payroll_recomputed_from_the_basis_pays_what_the_engine_decided(demo_regions):
    """The payroll recomputes each amount from the entitlement's basis under the month's parameters; in the month
    of the decision that must give back exactly the engine's amount, to the fen."""
    from doudi.payments.generation import payroll_generate
    from doudi.payments.models import PayrollLine
    from doudi.payments.services import payroll_create

    call_command("demo", "--no-serve", "--households", "400", "--seed", "11", stdout=io.StringIO())
    county = User.objects.get(username="county")
    for program in ("dibao", "dibao_single", "tekun"):
        payroll = payroll_create(actor=county, region_code="150702000000", program=program, month="2026-11")
        payroll_generate(payroll_id=payroll.pk, actor=county)
    lines = list(PayrollLine.objects.select_related("entitlement"))
    assert lines
    for line in lines:
        assert line.amount_fen == line.entitlement.monthly_fen, line.entitlement.program


def _caseload_counts() -> dict[str, int]:
    from doudi.cases.models import Application, Case, Feedback, Transition
    from doudi.referrals.models import Referral
    from doudi.relatives.models import CadreRelative
    from doudi.temporary.models import FundMovement, ReserveFund
    from doudi.verification.models import Authorisation, VerificationRequest

    models = (Application, Case, Transition, Feedback, CadreRelative, FundMovement, ReserveFund, Referral,
              Authorisation, VerificationRequest, Entitlement)
    return {m.__name__: m.objects.count() for m in models}


def test_demo_opens_on_a_caseload_made_through_the_services(demo_regions):
    from django.utils import timezone

    from doudi.cases import selectors
    from doudi.cases.models import Application, Case, Transition
    from doudi.referrals.models import Referral
    from doudi.temporary.models import FundMovement, ReserveFund

    out = io.StringIO()
    call_command("demo", "--no-serve", "--households", "600", "--seed", "11", stdout=out)
    assert "办理中的申请" in out.getvalue()
    township = User.objects.get(username="township")
    cases = list(selectors.case_list(actor=township))
    assert len({c.state for c in cases}) >= 5, Counter(c.state for c in cases)
    assert all(c.region_id.startswith("150702100") for c in cases)
    # every state was reached by case_transition: one Transition row per step, none skipped
    for case in Case.objects.exclude(state="submitted"):
        steps = list(case.transitions.order_by("at", "id").values_list("from_state", "to_state"))
        assert steps and steps[-1][1] == case.state
        assert all(a[1] == b[0] for a, b in itertools.pairwise(steps))
    assert not Transition.objects.filter(case__state="submitted").exists()
    # the reserve fund: 60 000 yuan in, one same-day advance payment out
    fund = ReserveFund.objects.get(region_id="150702100000")
    draws = FundMovement.objects.filter(fund=fund, kind="draw")
    assert draws.count() == 1 and fund.balance_fen == 6_000_000 - draws.get().amount_fen
    assert draws.get().case.state == "advance_paid"
    # the medical-security department has referrals in its inbox, one of them overdue
    medical = User.objects.get(username="medical")
    inbox = Referral.objects.restrict(medical)
    assert inbox.exists() and inbox.overdue(timezone.localdate()).exists()
    assert set(inbox.values_list("department", flat=True)) == {"medical_security"}
    # the applicant follows their own application from the phone
    applicant = User.objects.get(username="applicant")
    mine = Application.objects.filter(household__memberships__person=applicant.person, channel="self_service")
    assert mine.exists() and mine.first().feedback_items.exists()

    before = _caseload_counts()
    out = io.StringIO()
    call_command("demo", "--no-serve", "--households", "600", "--seed", "11", stdout=out)
    assert "已有演示案件" in out.getvalue()
    assert _caseload_counts() == before

    call_command("demo", "--no-serve", "--households", "600", "--seed", "11", "--reset", stdout=io.StringIO())
    assert Household.objects.count() == 600
    assert _caseload_counts() == before  # same population, same caseload
