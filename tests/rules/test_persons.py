"""Property tests of the per-person rules on generated households with disabled, elderly, school-age and care-tier
members: one basic-living program per person, 特困 amounts per person summing to the household's, the amount
function reproducing every decided amount, the supporter test (S2 Art 8) and the batch equal to the row engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doudi.policy.loader import available_profiles, load_profile
from doudi.rules import entitlement_amount, evaluate_household, member_status
from doudi.rules.engine import evaluate_batch, evaluate_rows
from doudi.rules.schema import households_to_frames, households_to_rows

ON = dt.date(2026, 3, 1)
PROFILES = available_profiles()
# What each relationship to the head makes of another member (the adapter's table, simplified for the test).
RELATIVE = {("head", "spouse"): "spouse", ("spouse", "head"): "spouse", ("head", "child"): "child",
            ("child", "head"): "parent", ("spouse", "child"): "child", ("child", "spouse"): "parent",
            ("head", "parent"): "parent", ("parent", "head"): "child"}


def _birth(age: int, day: int) -> str:
    return dt.date(ON.year - age - 1, 1 + day % 12, 1 + day % 28).isoformat()


@st.composite
def members(draw, relationship: str) -> dict:
    age = draw(st.sampled_from([draw(st.integers(0, 15)), draw(st.integers(16, 17)), draw(st.integers(18, 24)),
                                draw(st.integers(25, 59)), draw(st.integers(60, 100))]))
    m = {"birth_date": _birth(age, draw(st.integers(0, 400))), "relationship": relationship,
         "self_care_failed": draw(st.integers(0, 6)),
         "work_ability": draw(st.sampled_from(["full", "full", "partial", "none"])),
         "income": {"wage": draw(st.sampled_from([0, 0, draw(st.integers(0, 120_000)), draw(st.integers(0, 500_000))])),
                    "basic_pension": draw(st.sampled_from([0, 30_000]))},
         "employed": draw(st.booleans())}
    if draw(st.integers(0, 3)) == 0:
        m["disability"] = {"type": draw(st.sampled_from(["physical", "intellectual", "mental", "visual", "hearing"])),
                           "grade": draw(st.integers(1, 4))}
    if 16 <= age <= 24 and draw(st.booleans()):
        m["school_level"] = draw(st.sampled_from(["senior_high", "secondary_vocational", "higher_vocational",
                                                  "bachelor"]))
        m["full_time_student"] = True
    if draw(st.integers(0, 8)) == 0:
        m["serious_illness"] = True
    if relationship == "other" and draw(st.booleans()):
        m["co_resident"] = False
    return m


@st.composite
def households(draw) -> dict:
    rels = ["head", *draw(st.lists(st.sampled_from(["spouse", "child", "child", "parent", "other"]), max_size=4))]
    ms = [{"id": f"m{j}", **draw(members(r))} for j, r in enumerate(rels)]
    h = {"id": "x", "area": draw(st.sampled_from(["urban", "rural"])), "members": ms}
    if draw(st.booleans()):  # explicit links (as the adapter writes them); otherwise every other member is presumed
        for m in ms:
            pairs = [(o, (m["relationship"], o["relationship"])) for o in ms if o is not m]
            m["supported_by"] = [{"supporter": o["id"], "relationship": RELATIVE[k]} for o, k in pairs if k in RELATIVE]
        if draw(st.booleans()):
            h["supporters"] = [{"id": "s0", "age": draw(st.integers(20, 90)),
                                "income_12m": draw(st.integers(0, 9_000_000)), "is_dibao": draw(st.booleans())}]
            ms[0]["supported_by"].append({"supporter": "s0", "relationship": "child"})
    return h


@pytest.fixture(scope="module", params=PROFILES)
def params(request):
    return load_profile(request.param).params_as_of(ON)


def _amount(basis: dict, params) -> int | None:
    return entitlement_amount(program=basis["program"], area=basis["area"], members=basis["members"],
                              income_fen=basis.get("income_fen"), care_tier=basis.get("care_tier"), params=params)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(h=households())
def test_one_program_per_person_and_amounts_from_the_one_formula(params, h):
    d = evaluate_household(h, params, ON)
    persons = d["persons"]
    assert len(persons) == len(h["members"])
    assert sum(p["counted"] for p in persons) == d["counted_members"]
    # a person is covered by 低保 or 特困, never both
    assert not set(d["dibao"]["person_ids"]) & set(d["tekun"]["person_ids"])
    assert [p["id"] for p in persons if p["program"] == "tekun"] == d["tekun"]["person_ids"]
    # 特困 is paid per person; the household's figures are their sums
    tekun = [p for p in persons if p["program"] == "tekun"]
    assert sum(p["monthly_fen"] for p in tekun) == d["tekun"]["basic_fen"] + d["tekun"]["care_fen"]
    # the amount function (what the payroll will call) reproduces every decided amount from its basis
    for p in tekun:
        assert _amount(p["basis"], params) == p["monthly_fen"]
    if d["dibao"]["whole_household"]:
        assert _amount(d["dibao"]["basis"], params) == d["dibao"]["amount_fen"]
    elif d["dibao"]["single_person"]:
        singles = [p for p in persons if p["program"] == "dibao_single"]
        assert [_amount(p["basis"], params) for p in singles] == [p["monthly_fen"] for p in singles]
        assert sum(p["monthly_fen"] for p in singles) == d["dibao"]["amount_fen"]
    # nobody is their own supporter: with no link at all a person has no able supporter
    for m, p in zip(h["members"], persons, strict=True):
        if m.get("supported_by") == []:
            assert p["has_able_supporter"] is False
        # the person's own facts are the engine's, with or without the household
        own = member_status(m, params, ON)
        assert (own["counted"], own["age"], own["able_to_work"], own["care_tier"]) == (
            p["counted"], p["age"], p["able_to_work"], p["care_tier"])
        assert own["not_counted"] == p["not_counted"]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(h=households())
def test_batch_equals_row_engine_on_generated_households(params, h):
    rows = evaluate_rows(*households_to_rows([h]), params, ON)[0]
    hh, mem, sup = households_to_frames([h])
    batch = evaluate_batch(hh, mem, params, ON, sup, with_members=True).row(0, named=True)
    assert [(k, type(v), v) for k, v in batch.items()] == [(k, type(rows[k]), rows[k]) for k in batch]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(a=st.integers(60, 100), b=st.integers(60, 100), inc_a=st.integers(0, 69_999), inc_b=st.integers(0, 69_999),
       area=st.sampled_from(["urban", "rural"]), child_age=st.integers(25, 59), child_income=st.integers(0, 9_000_000))
def test_elderly_couple_are_both_tekun_unless_a_child_elsewhere_can_support(params, a, b, inc_a, inc_b, area,
                                                                             child_age, child_income):
    # S2 Art 8 (1): a spouse who is himself 特困 cannot perform the duty; a working-age child elsewhere can.
    couple = [
        {"id": "A", "birth_date": _birth(a, 3), "income": {"wage": inc_a},
         "supported_by": [{"supporter": "B", "relationship": "spouse"}]},
        {"id": "B", "birth_date": _birth(b, 5), "income": {"wage": inc_b},
         "supported_by": [{"supporter": "A", "relationship": "spouse"}]},
    ]
    alone = evaluate_household({"id": "x", "area": area, "members": couple}, params, ON)
    assert alone["tekun"]["person_ids"] == ["A", "B"]
    assert alone["dibao"]["eligible"] is False
    for m in couple:
        m["supported_by"].append({"supporter": "C", "relationship": "child"})
    child = {"id": "C", "age": child_age, "income_12m": child_income}
    helped = evaluate_household({"id": "x", "area": area, "members": couple, "supporters": [child]}, params, ON)
    assert helped["tekun"]["person_ids"] == []
    assert {p["tekun"]["reason"]["code"] for p in helped["persons"]} == {"TEKUN_ABLE_SUPPORTER"}
    assert any("特困" in line and "义务人" in line for line in helped["explanation"])


@pytest.mark.parametrize("age", [18, 19, 21])
def test_secondary_vocational_student_without_parents_is_tekun_where_the_school_extension_applies(params, age):
    student = {"id": "P", "birth_date": _birth(age, 7), "school_level": "secondary_vocational",
               "full_time_student": True, "supported_by": []}
    d = evaluate_household({"id": "x", "area": "rural", "members": [student]}, params, ON)
    assert d["tekun"]["person_ids"] == ["P"]  # every shipped profile has the S2 Art 24 extension
    off = replace(params, values={**params.values, "tekun.school_extension": False})
    d = evaluate_household({"id": "x", "area": "rural", "members": [student]}, off, ON)
    assert d["persons"][0]["tekun"]["reason"]["code"] == "TEKUN_NO_TARGET"
    assert d["dibao"]["person_ids"] == ["P"]


def test_per_person_output_is_optional_in_the_batch():
    params = load_profile("national").params_as_of(ON)
    hh, mem, sup = households_to_frames([{"id": "x", "area": "urban", "members": [{"birth_date": "1950-01-01"}]}])
    plain = evaluate_batch(hh, mem, params, ON, sup)
    assert "persons" not in plain.columns
    full = evaluate_batch(hh, mem, params, ON, sup, with_members=True)
    assert full.drop("persons", "dibao_members", "tekun_members").equals(plain)
    assert full["persons"].dtype == pl.List(pl.Struct)
