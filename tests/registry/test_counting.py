"""Who counts in the household (S1 Art 7): the registry's display and the rules engine must agree."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.eligibility.adapter import household_input
from doudi.policy.loader import load_profile
from doudi.registry import services
from doudi.registry.selectors import household_snapshot, member_facts
from doudi.rules import evaluate_household
from tests import factories as f

AS_OF = dt.date(2026, 11, 1)


@pytest.fixture
def family(tree, people):
    h = services.household_create(actor=people.owner, region=tree.village_a, address="甲村3组")
    members = {}
    for rel, birth, name, together in [
        ("head", dt.date(1970, 1, 1), "户主", True),
        ("spouse", dt.date(1972, 2, 2), "配偶", True),
        ("child", dt.date(2004, 3, 3), "大学生", True),
        ("child", dt.date(1995, 4, 4), "服刑子女", True),
        ("sibling", dt.date(1975, 5, 5), "外出兄弟", False),
        ("parent", dt.date(1945, 6, 6), "同住母亲", True),
        ("child", dt.date(1990, 7, 7), "僧人", True),
    ]:
        m = services.member_add(
            actor=people.owner,
            household=h,
            id_number=f.make_id(birth),
            name=name,
            relationship=rel,
            valid_from=dt.date(2015, 1, 1),
            lives_together=together,
        )
        members[name] = m.person
    add = services.evidence_add
    add(
        actor=people.owner,
        person=members["大学生"],
        evidence_type="schooling",
        level="bachelor",
        valid_from=dt.date(2023, 9, 1),
    )
    add(
        actor=people.owner,
        person=members["服刑子女"],
        evidence_type="circumstance",
        kind="imprisoned",
        valid_from=dt.date(2024, 1, 1),
    )
    add(
        actor=people.owner,
        person=members["僧人"],
        evidence_type="circumstance",
        kind="clergy_apart",
        valid_from=dt.date(2022, 6, 1),
    )
    return h


def _verdict(snapshot) -> dict[str, tuple[bool, str]]:
    facts = member_facts(snapshot)
    return {m.person.name: (facts[m.person.pk]["counted"], (facts[m.person.pk]["not_counted"] or {}).get("text", ""))
            for m in snapshot.members}


def test_registry_shows_who_counts_and_why(family):
    verdict = _verdict(household_snapshot(family, as_of=AS_OF))
    assert verdict["大学生"] == (True, "")  # full-time students count
    assert verdict["服刑子女"][0] is False and "服刑" in verdict["服刑子女"][1]
    assert verdict["外出兄弟"][0] is False and "共同居住" in verdict["外出兄弟"][1]
    assert verdict["僧人"][0] is False and "三年" in verdict["僧人"][1]
    assert [name for name, (ok, _) in verdict.items() if ok] == ["户主", "配偶", "大学生", "同住母亲"]
    # Two years and five months apart: the clergy member still counted then.
    assert _verdict(household_snapshot(family, as_of=dt.date(2024, 11, 1)))["僧人"][0]


def test_engine_counts_the_same_members(family):
    params = load_profile("national").params_as_of(AS_OF)
    for day in (AS_OF, dt.date(2024, 11, 1)):
        snapshot = household_snapshot(family, as_of=day)
        shown = sum(ok for ok, _ in _verdict(snapshot).values())
        decision = evaluate_household(household_input(snapshot), params, day)
        assert decision["counted_members"] == shown


def test_household_page_shows_the_engines_reason(client, family, people):
    client.force_login(people.owner)
    page = client.get(f"/registry/households/{family.pk}/?as_of={AS_OF.isoformat()}").content.decode()
    assert "不计入家庭人口" in page and "三年" in page
