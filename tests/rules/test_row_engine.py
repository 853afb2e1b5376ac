"""The row engine (``engine.evaluate_rows``: the rules built with ``rowexpr``, used for a few households) gives
exactly what the Polars batch gives — every field, value and Python type — on random synthetic households."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import polars as pl
import pytest

from doudi.policy.loader import load_profile
from doudi.rules import evaluate_households
from doudi.rules.engine import evaluate_batch, evaluate_rows
from doudi.rules.synthetic import synthetic_population

PROFILES = ["national", "hulunbuir", "dazhou", "yunnan", "dezhou", "shiqiao"]
DATES = [dt.date(2024, 6, 1), dt.date(2026, 3, 1)]
# every shipped profile on two dates, 分档 amounts (no shipped profile uses them by default), no standard in force
CASES = [(p, on, False) for p in PROFILES for on in DATES] + [("national", on, True) for on in DATES] + [
    ("national", dt.date(2010, 1, 1), False)]
PER_CASE = 20_000 // len(CASES) + 1  # 20 010 households in all, a different sample each time


def _params(profile: str, on: dt.date, tiers: bool):
    params = load_profile(profile).params_as_of(on)
    return replace(params, values={**params.values, "dibao.amount_method": "tiers"}) if tiers else params


def _grouped(frame: pl.DataFrame, ids: list) -> list[list[dict]]:
    by_id: dict = {i: [] for i in ids}
    for r in frame.to_dicts():
        by_id[r["hh_id"]].append(r)
    return list(by_id.values())


def _same(a, b) -> bool:
    return type(a) is type(b) and a == b  # True == 1 in Python: the type must match too


@pytest.mark.parametrize(("profile", "on", "tiers"), CASES, ids=[f"{p}-{on}{'-tiers' * t}" for p, on, t in CASES])
def test_row_engine_equals_batch_field_by_field(profile, on, tiers):
    params = _params(profile, on, tiers)
    seed = 1000 + CASES.index((profile, on, tiers))
    hh, mem, sup = synthetic_population(PER_CASE, seed=seed, id_dtype=pl.String)
    batch = evaluate_batch(hh, mem, params, on, sup, with_members=True).to_dicts()
    households = hh.to_dicts()
    ids = [h["hh_id"] for h in households]
    rows = evaluate_rows(households, _grouped(mem, ids), _grouped(sup, ids), params, on)
    assert len(rows) == len(batch)
    for b, r in zip(batch, rows, strict=True):
        assert r.keys() == b.keys()
        diff = {k: (b[k], r[k]) for k in b if not _same(b[k], r[k])}
        assert not diff, (b["hh_id"], diff)


def test_few_and_many_households_give_the_same_decisions():
    """``evaluate_households`` evaluates short lists row by row and longer ones as a batch: same decisions."""
    on = dt.date(2026, 3, 1)
    params = load_profile("hulunbuir").params_as_of(on)
    households = [
        {"id": f"h{i}", "area": "urban" if i % 2 else "rural",
         "members": [{"id": f"p{i}{j}", "birth_date": f"{1940 + 9 * j + i}-03-0{1 + j}",
                      "income": {"wage": 40_000 * i * j}, "self_care_failed": (i + j) % 7,
                      **({"disability": {"type": "physical", "grade": 1 + j % 4}} if (i + j) % 3 == 0 else {})}
                     for j in range(1 + i % 4)],
         "supporters": [{"age": 50 + 10 * i % 40, "income_12m": 1_000_000 * (i % 3)}] if i % 4 == 1 else [],
         "temporary": {"type": "expenditure" if i % 2 else "emergency", "requested": 100_000 * i},
         "medical": {"inpatient_oop": 50_000 * i}}
        for i in range(40)
    ]
    from doudi.rules import ROW_ENGINE_MAX
    assert len(households) > ROW_ENGINE_MAX
    many = evaluate_households(households, params, on)
    few = [d for i in range(0, len(households), ROW_ENGINE_MAX)
           for d in evaluate_households(households[i:i + ROW_ENGINE_MAX], params, on)]
    assert few == many


def test_the_compared_sample_exercises_the_per_person_rules():
    """The equality above means something only if the sample reaches the rules: 特困 split from 低保, 单人户, a 渐退
    period kept / ended / adjusted, supporters who can and cannot support, members not counted for each reason."""
    from doudi.rules.codes import NOT_COUNTED_CODES, RULE_BIT

    params = _params("hulunbuir", DATES[1], False)
    hh, mem, sup = synthetic_population(PER_CASE, seed=1000, id_dtype=pl.String)
    out = evaluate_batch(hh, mem, params, DATES[1], sup, with_members=True)
    for code in ("TEKUN_SPLIT", "DIBAO_SINGLE_PERSON", "GRACE", "GRACE_CONTINUED", "GRACE_ENDED",
                 "GRACE_MONTHS_ADJUSTED", "TEKUN_CARE"):
        assert (out["rules_mask"] & RULE_BIT[code] > 0).any(), code
    people = out.select(pl.col("persons").explode()).unnest("persons")
    assert set(people["not_counted"].drop_nulls()) == set(NOT_COUNTED_CODES)
    assert {True, False} <= set(people.filter("tekun_target")["has_able_supporter"])
    assert set(people["tekun_reason"].drop_nulls()) >= {"TEKUN_NO_TARGET", "TEKUN_HAS_INCOME", "TEKUN_ABLE_SUPPORTER",
                                                        "TEKUN_NOT_COUNTED", "TEKUN_PROPERTY"}
