"""The adapter passes who is obliged to support whom (relationships in the household and support-obligation
evidence, living here or elsewhere) and every member on the register; the engine decides the rest."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.eligibility import services
from doudi.eligibility.adapter import household_input
from doudi.registry import services as registry
from doudi.registry.models import Income, Person
from doudi.registry.selectors import household_snapshot, member_facts
from tests import factories as f

AS_OF = dt.date(2026, 11, 1)
START = dt.date(2025, 1, 1)


def _member(actor, household, relationship, birth, *, together=True, sex="M"):
    return registry.member_add(actor=actor, household=household, id_number=f.make_id(birth, sex), name="成员",
                               relationship=relationship, valid_from=START, lives_together=together).person


@pytest.fixture
def couple(tree, people):
    """An urban couple aged 76 and 71 with no income, and a brother living elsewhere on the register."""
    h = registry.household_create(actor=people.owner, region=tree.village_a2, address="甲社区2号")
    head = _member(people.owner, h, "head", dt.date(1950, 3, 1))
    wife = _member(people.owner, h, "spouse", dt.date(1955, 4, 2), sex="F")
    _member(people.owner, h, "sibling", dt.date(1952, 5, 3), together=False)
    return h, head, wife


def _son_elsewhere(people, parents, wage_yuan: int) -> Person:
    son = Person.objects.create(id_number=f.make_id(dt.date(1980, 1, 1)), name="儿子", sex="M",
                                birth_date=dt.date(1980, 1, 1))
    # registered elsewhere (out of this jurisdiction): his income as the verification platform reported it
    Income.objects.create(person=son, kind="wage", monthly_fen=wage_yuan * 100, valid_from=START)
    for parent in parents:
        registry.evidence_add(actor=people.owner, person=parent, evidence_type="supportobligation", supporter=son,
                              relationship="child", valid_from=START)
    return son


def test_links_from_relationships_and_every_member_passed(couple):
    h, head, wife = couple
    data = household_input(household_snapshot(h, as_of=AS_OF))
    by_id = {m["id"]: m for m in data["members"]}
    assert len(by_id) == 3  # the brother living elsewhere is passed; the engine decides he does not count
    assert by_id[str(head.pk)]["supported_by"] == [{"supporter": str(wife.pk), "relationship": "spouse"}]
    assert by_id[str(wife.pk)]["supported_by"] == [{"supporter": str(head.pk), "relationship": "spouse"}]
    brother = next(m for m in data["members"] if m["relationship"] == "sibling")
    assert brother["co_resident"] is False and brother["supported_by"] == []


def test_elderly_couple_without_a_son_are_both_tekun_and_the_engine_counts_as_the_register(couple, people):
    h, head, wife = couple
    evaluation = services.evaluation_run(actor=people.owner, household=h, as_of=AS_OF)
    r = evaluation.result
    assert sorted(r["tekun"]["person_ids"]) == sorted([str(head.pk), str(wife.pk)])
    assert r["dibao"]["eligible"] is False
    shown = [f["counted"] for f in member_facts(household_snapshot(h, as_of=AS_OF)).values()]
    assert r["counted_members"] == sum(shown) == 2
    brother = next(p for p in r["persons"] if p["id"] not in r["tekun"]["person_ids"])
    assert brother["not_counted"]["code"] == "NOT_CO_RESIDENT"


def test_a_son_elsewhere_obliged_by_the_register_is_an_able_supporter(couple, people):
    h, head, wife = couple
    son = _son_elsewhere(people, [head, wife], 3000)
    data = household_input(household_snapshot(h, as_of=AS_OF))
    assert [s["id"] for s in data["supporters"]] == [str(son.pk)]
    evaluation = services.evaluation_run(actor=people.owner, household=h, as_of=AS_OF)
    r = evaluation.result
    assert r["tekun"]["eligible"] is False
    reasons = {p["tekun"]["reason"]["code"] for p in r["persons"] if p["counted"]}
    assert reasons == {"TEKUN_ABLE_SUPPORTER"}
    assert any("义务人" in line for line in evaluation.explanation)


def test_a_deceased_son_is_no_supporter(couple, people):
    h, head, wife = couple
    son = _son_elsewhere(people, [head, wife], 3000)
    son.date_of_death = dt.date(2026, 6, 1)
    son.save(update_fields=["date_of_death"])
    data = household_input(household_snapshot(h, as_of=AS_OF))
    assert data["supporters"] == []
    assert all(link["supporter"] != str(son.pk) for m in data["members"] for link in m["supported_by"])
    evaluation = services.evaluation_run(actor=people.owner, household=h, as_of=AS_OF)
    assert evaluation.result["tekun"]["persons"] == 2
