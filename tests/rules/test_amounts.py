"""The one amount formula: ``entitlement_amounts`` (the payroll's vectorised call) and ``entitlement_amount`` (one
entitlement) give exactly the amounts the engine decided, for the same parameters; a new standard changes them from
its own date. Medical claims: the vectorised ``evaluate_claims`` pays what the decision's claims pay."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import polars as pl
import pytest

from doudi.policy.loader import load_profile
from doudi.rules import entitlement_amount, entitlement_amounts, evaluate_household
from doudi.rules.engine import evaluate_batch
from doudi.rules.medical import CLAIM_SCHEMA, evaluate_claims
from doudi.rules.synthetic import synthetic_population

ON = dt.date(2026, 3, 1)


@pytest.mark.parametrize(("profile", "tiers"), [("hulunbuir", False), ("shiqiao", False), ("yunnan", False),
                                                ("national", True)])
def test_the_amount_function_pays_what_the_engine_decided(profile, tiers):
    params = load_profile(profile).params_as_of(ON)
    if tiers:
        params = replace(params, values={**params.values, "dibao.amount_method": "tiers"})
    hh, mem, sup = synthetic_population(20_000, seed=31, id_dtype=pl.String)
    out = evaluate_batch(hh, mem, params, ON, sup, with_members=True)
    area = pl.when(pl.col("is_urban")).then(pl.lit("urban")).otherwise(pl.lit("rural"))
    whole = out.filter("dibao_whole").select(
        "dibao_amount", program=pl.lit("dibao"), area=area, members=pl.col("n_db").cast(pl.Int64),
        income_fen="countable_db", care_tier=pl.lit(None, pl.String))
    people = out.select("is_urban", "persons").explode("persons").unnest("persons").filter(
        pl.col("program").is_in(["tekun", "dibao_single"])).select(
        "monthly_fen", "program", area=area, members=pl.lit(1, pl.Int64),
        income_fen=pl.when(pl.col("program") == "dibao_single").then("countable_income_fen"), care_tier="care_tier")
    assert whole.height > 50 and people.height > 100
    assert set(people["program"]) == {"tekun", "dibao_single"}
    paid = entitlement_amounts(whole, params)
    assert paid["amount_fen"].equals(paid["dibao_amount"], check_names=False)
    paid = entitlement_amounts(people, params)
    assert paid["amount_fen"].equals(paid["monthly_fen"], check_names=False)
    # the scalar form is the same function
    for row in paid.head(50).to_dicts():
        assert entitlement_amount(program=row["program"], area=row["area"], members=row["members"],
                                  income_fen=row["income_fen"], care_tier=row["care_tier"],
                                  params=params) == row["amount_fen"]


def test_a_new_standard_applies_from_its_own_month():
    profile = load_profile("national")
    before = profile.params_as_of(ON)
    raised = replace(before, values={**before.values, "dibao.standard.urban": 100_000})
    basis = {"program": "dibao", "area": "urban", "members": 3, "income_fen": 150_000}
    assert entitlement_amount(**basis, params=before) == 120_000  # 3 × 900 − 1500
    assert entitlement_amount(**basis, params=raised) == 150_000  # 3 × 1000 − 1500
    tekun = {"program": "tekun", "area": "urban", "members": 1, "care_tier": "partial"}
    assert entitlement_amount(**tekun, params=before) == 117_000 + 45_000  # 1.3 × 900 + 25 % × 1800
    assert entitlement_amount(**tekun, params=raised) == 130_000 + 45_000
    assert entitlement_amount(**basis, params=profile.params_as_of(dt.date(2010, 1, 1))) is None  # no standard


def test_claims_file_pays_what_the_decision_pays():
    params = load_profile("hulunbuir").params_as_of(ON)
    claims = [
        {"person": "P", "kind": "outpatient_chronic", "oop": 800_000, "date": "2026-01-10", "hospital": "甲"},
        {"person": "P", "kind": "outpatient_chronic", "oop": 500_000, "date": "2026-02-10", "hospital": "甲"},
        {"person": "P", "kind": "outpatient_chronic", "oop": 90_000, "date": "2026-02-20", "hospital": "甲"},
        {"person": "P", "kind": "inpatient", "oop": 2_000_000, "date": "2026-02-21", "hospital": "乙"},
        {"person": "Q", "kind": "outpatient_chronic", "oop": 100_000, "date": "2026-02-01", "hospital": "甲"},
    ]
    d = evaluate_household({"id": "x", "area": "urban", "members": [
        {"id": "P", "birth_date": "1976-01-01", "supported_by": []},
        {"id": "Q", "birth_date": "1940-01-01", "supported_by": []}],
        "medical": {"ytd": {"P": {"outpatient_chronic": 300_000}}, "claims": claims}}, params, ON)
    decided = d["medical"]["claims"]
    # P is covered by 低保 (70 %, 10 000 a year), Q, 86 and alone, by 特困 (in full)
    assert [c["category"] for c in decided] == ["dibao", "tekun", "dibao", "dibao", "dibao"]
    frame = pl.DataFrame([{"claim_id": c["id"], "person_id": c["person_id"], "kind": c["kind"],
                           "oop_fen": c["oop_fen"], "category": c["category"],
                           "ytd_fen": 300_000 if (c["person_id"], c["kind"]) == ("P", "outpatient_chronic") else 0}
                          for c in decided], schema=CLAIM_SCHEMA)
    paid = evaluate_claims(frame, params)
    assert paid["payable_fen"].to_list() == [c["payable_fen"] for c in decided]
    assert paid["capped"].to_list() == [c["capped"] for c in decided]
    assert [c["payable_fen"] for c in decided] == [560_000, 100_000, 140_000, 0, 1_400_000]
    assert decided[0]["source"].startswith("呼政办发〔2021〕39号 三(三)1")
