"""The standard permission test set, run for every scoped model: owner, colleague, outsider (STYLE: NetBox)."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.audit.services import audit_record
from doudi.registry import models as rm
from tests import factories as f

EVIDENCE_FIELDS = {
    rm.Income: {"kind": "wage", "monthly_fen": 100_000},
    rm.Employment: {"status": "employed"},
    rm.Expense: {"kind": "medical", "monthly_fen": 50_000},
    rm.Asset: {"kind": "deposit", "value_fen": 1_000_000},
    rm.Disability: {"type": "physical", "grade": 2},
    rm.Illness: {"diagnosis": "尿毒症", "serious": True},
    rm.SelfCareAssessment: {"eating": False},
    rm.WorkAbility: {"level": "none"},
    rm.Schooling: {"level": "compulsory"},
    rm.Circumstance: {"kind": "imprisoned"},
}


def _rows_for(model, household):
    """One row of ``model`` belonging to ``household``."""
    person = household.memberships.first().person
    if model is rm.Household:
        return household
    if model is rm.Person:
        return person
    if model is rm.Membership:
        return household.memberships.first()
    if model is rm.SupportObligation:
        supporter = rm.Person.objects.create(
            id_number=f.make_id(dt.date(1990, 1, 1)), name="赡养人", sex="M", birth_date=dt.date(1990, 1, 1)
        )
        return model.objects.create(
            person=person, supporter=supporter, relationship="child", valid_from=dt.date(2020, 1, 1)
        )
    if model.__name__ == "Evaluation":
        return model.objects.create(
            household=household,
            as_of=dt.date(2026, 1, 1),
            profile="national",
            profile_version="x",
            params={},
            inputs={},
            result={},
        )
    if model.__name__ == "Entitlement":
        return model.objects.create(
            household=household, program="dibao", monthly_fen=100_000, start_month=dt.date(2026, 1, 1)
        )
    if model.__name__ == "AuditEvent":
        return audit_record(actor=None, action="update", obj=household, region_code=household.region_id)
    return model.objects.create(person=person, valid_from=dt.date(2020, 1, 1), **EVIDENCE_FIELDS[model])


SCOPED_MODELS = [rm.Household, rm.Person, rm.Membership, *rm.EVIDENCE_MODELS]


@pytest.fixture
def two_rows(tree, people):
    def make(model):
        mine = _rows_for(model, f.household(tree.village_a))
        theirs = _rows_for(model, f.household(tree.village_b))
        return mine, theirs

    return make


@pytest.mark.parametrize(
    "model",
    [*SCOPED_MODELS, "audit", "evaluation", "entitlement"],
    ids=lambda m: m if isinstance(m, str) else m.__name__,
)
def test_each_model_is_scoped_to_the_users_jurisdiction(model, two_rows, people):
    from doudi.audit.models import AuditEvent
    from doudi.benefits.models import Entitlement
    from doudi.eligibility.models import Evaluation

    model = {"audit": AuditEvent, "evaluation": Evaluation, "entitlement": Entitlement}.get(model, model)
    mine, theirs = two_rows(model)
    mgr = model.objects

    assert set(mgr.restrict(people.owner, "view")) >= {mine}
    assert theirs not in set(mgr.restrict(people.owner, "view"))
    assert mine not in set(mgr.restrict(people.colleague, "view"))
    assert theirs in set(mgr.restrict(people.colleague, "view"))
    # Outsider: no grant, no rows, for every action.
    for action in ("view", "view_full", "change", "decide", "export"):
        assert not mgr.restrict(people.outsider, action).exists()
    # The county sees both townships.
    assert {mine, theirs} <= set(mgr.restrict(people.county, "view"))
    # The auditor reads everything in the city but changes nothing.
    assert {mine, theirs} <= set(mgr.restrict(people.auditor, "view_full"))
    assert not mgr.restrict(people.auditor, "change").exists()


def test_unknown_action_and_anonymous_fail_closed(tree, people):
    from django.contrib.auth.models import AnonymousUser

    f.household(tree.village_a)
    assert not rm.Household.objects.restrict(people.owner, "no_such_action").exists()
    assert not rm.Household.objects.restrict(AnonymousUser(), "view").exists()
    assert not rm.Household.objects.restrict(None, "view").exists()
    people.owner.is_active = False
    assert not rm.Household.objects.restrict(people.owner, "view").exists()


def test_superuser_flag_alone_grants_nothing(tree, people):
    f.household(tree.village_a)
    boss = f.user("boss", is_superuser=True, is_staff=True)
    assert not rm.Household.objects.restrict(boss, "view").exists()


def test_applicant_sees_only_own_household_and_its_members(tree, people):
    own = f.household(tree.village_a, members=2)
    other = f.household(tree.village_a, members=2)
    me = own.memberships.first().person
    applicant = f.user("applicant", person=me)
    assert list(rm.Household.objects.restrict(applicant, "view")) == [own]
    assert set(rm.Person.objects.restrict(applicant, "view")) == {m.person for m in own.memberships.all()}
    assert not rm.Person.objects.restrict(applicant, "view").filter(memberships__household=other).exists()
    assert not rm.Household.objects.restrict(applicant, "change").exists()


def test_rows_are_not_duplicated_by_scoping(tree, people):
    h = f.household(tree.village_a, members=3)
    person = h.memberships.first().person
    rm.Income.objects.create(person=person, kind="wage", monthly_fen=1, valid_from=dt.date(2020, 1, 1))
    # Two overlapping grants (township and its county) must not multiply rows.
    f.user("double", (tree.town_a, "township_caseworker"), (tree.county, "civil_affairs"))
    from doudi.accounts.models import User

    double = User.objects.get(username="double")
    assert rm.Income.objects.restrict(double, "view").count() == 1
    assert rm.Person.objects.restrict(double, "view").count() == 3


def test_a_former_members_later_records_are_not_shown_to_the_old_area(tree, people):
    """Issue 9: a person who left a village years ago stayed visible there with their later health records."""
    from doudi.registry.models import Illness, Membership

    old = f.household(tree.village_a, members=2)
    mover = old.memberships.order_by("id").last()
    person = mover.person
    Membership.objects.filter(pk=mover.pk).update(valid_to=dt.date(2022, 6, 30))
    new = f.household(tree.village_b, members=1)
    Membership.objects.create(household=new, person=person, relationship="other", valid_from=dt.date(2022, 7, 1))
    before = Illness.objects.create(person=person, diagnosis="高血压", chronic=True, valid_from=dt.date(2021, 3, 1))
    after = Illness.objects.create(person=person, diagnosis="恶性肿瘤", serious=True, valid_from=dt.date(2024, 5, 1))
    assert set(Illness.objects.restrict(people.owner, "view_full")) == {before}  # the old township
    assert set(Illness.objects.restrict(people.colleague, "view_full")) == {before, after}  # where they live now
    assert set(Illness.objects.restrict(people.county, "view_full")) == {before, after}
