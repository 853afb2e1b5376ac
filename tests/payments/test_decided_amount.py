"""The payroll pays exactly the decided amount (issue 8 item 2), on generated households with disabled, elderly,
school-age and care-tier members (the rules' property strategy): for any decision the engine makes, the
entitlements it grants (``benefits.services.entitlement_rows``) are paid, in the month after the decision, exactly
the amount stored on them — per person for 特困 and 单人户. A dated standard rise moves each by what the engine
re-applies, nothing else."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from types import SimpleNamespace

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings

from doudi.benefits.services import entitlement_rows
from doudi.payments.amounts import base_amounts
from doudi.policy.loader import available_profiles, load_profile
from doudi.rules import entitlement_amount, evaluate_household
from tests.rules.test_persons import households

ON = dt.date(2026, 3, 1)
NEXT = dt.date(2026, 4, 1)


def _numbered(h: dict) -> dict:
    """Member ids as the registry adapter writes them (person primary keys as text)."""
    ids = {m["id"]: str(100 + j) for j, m in enumerate(h["members"])}
    for m in h["members"]:
        m["id"] = ids[m["id"]]
        for link in m.get("supported_by") or []:
            link["supporter"] = ids.get(link["supporter"], link["supporter"])
    return h


def _frame(rows: list[dict], area: str, profile: str) -> pl.DataFrame:
    return pl.DataFrame([{
        "ent_id": i, "program": r["program"], "status": "active", "person_id": r["person_id"],
        "monthly_fen": r["monthly_fen"], "covered_members": r["covered_members"], "start_month": NEXT,
        "end_month": None, "basis_area": r.get("basis_area", ""), "basis_members": r.get("basis_members"),
        "basis_income_fen": r.get("basis_income_fen"), "basis_care_level": r.get("basis_care_level", ""),
        "basis_amount_fen": r.get("basis_amount_fen"), "grace_end_month": None, "person_dod": None, "deaths": 0,
        "profile": profile, "area": area} for i, r in enumerate(rows)],
        schema_overrides={"person_id": pl.Int64, "end_month": pl.Date, "grace_end_month": pl.Date,
                          "person_dod": pl.Date, "basis_members": pl.Int64, "basis_income_fen": pl.Int64,
                          "basis_amount_fen": pl.Int64})


@pytest.fixture(scope="module", params=available_profiles())
def profile(request):
    p = load_profile(request.param)
    return request.param, {a: p.params_as_of(ON, a) for a in ("urban", "rural")}, p


def _granted(h: dict, params) -> list[dict]:
    decision = evaluate_household(_numbered(h), params, ON)
    ev = SimpleNamespace(result=decision)
    return [row for prog in ("dibao", "dibao_single", "tekun") for row in entitlement_rows(ev, program=prog)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(h=households())
def test_next_payroll_line_equals_the_decided_amount(profile, h):
    name, by_area, _ = profile
    params = by_area[h["area"]]
    rows = _granted(h, params)
    persons = [r["person_id"] for r in rows if r["person_id"]]
    assert len(persons) == len(set(persons)), "one basic-living entitlement per person"
    if not rows:
        return
    paid = base_amounts(_frame(rows, h["area"], name), NEXT, {(name, a): p for a, p in by_area.items()})
    got = dict(zip(paid["ent_id"].to_list(), paid["amount_fen"].to_list(), strict=True))
    assert got == {i: r["monthly_fen"] for i, r in enumerate(rows) if r["monthly_fen"] > 0}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(h=households())
def test_a_dated_standard_rise_is_the_only_thing_that_moves_the_line(profile, h):
    name, by_area, _ = profile
    params = by_area[h["area"]]
    rows = _granted(h, params)
    if not rows:
        return
    # An override above the engine (approved by a second person) stays above it by the same amount after the rise.
    rows[0] = {**rows[0], "monthly_fen": rows[0]["monthly_fen"] + 10_000}
    std_key = f"dibao.standard.{h['area']}"
    value = params.get(std_key)
    if value is None:
        return
    risen = {a: replace(p, values={**p.values, std_key: value + 100}) if a == h["area"] else p
             for a, p in by_area.items()}
    paid = base_amounts(_frame(rows, h["area"], name), NEXT, {(name, a): p for a, p in risen.items()})
    got = dict(zip(paid["ent_id"].to_list(), paid["amount_fen"].to_list(), strict=True))
    for i, r in enumerate(rows):
        new = entitlement_amount(program=r["program"], area=r["basis_area"], members=r["basis_members"],
                                 income_fen=r["basis_income_fen"], care_tier=r["basis_care_level"] or None,
                                 params=risen[h["area"]])
        want = max(0, r["monthly_fen"] + new - r["basis_amount_fen"])
        assert got.get(i, 0) == want

