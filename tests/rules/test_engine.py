"""Engine mechanics that must not change a result: chunked evaluation, the cached plan, member coverage lists."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from doudi.policy.loader import load_profile
from doudi.rules import engine
from doudi.rules.engine import evaluate_batch, plan_for
from doudi.rules.schema import HOUSEHOLD_SCHEMA, MEMBER_SCHEMA, SUPPORTER_SCHEMA
from doudi.rules.synthetic import synthetic_population

ON = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def population():
    return synthetic_population(20_000, seed=13, id_dtype=pl.String)


@pytest.mark.parametrize("profile", ["hulunbuir", "dezhou"])
def test_chunked_evaluation_equals_unchunked(population, profile, monkeypatch):
    params = load_profile(profile).params_as_of(ON)
    hh, mem, sup = population
    whole = evaluate_batch(hh, mem, params, ON, sup)
    monkeypatch.setattr(engine, "CHUNK_HOUSEHOLDS", 3_000)  # 7 chunks, the last one short
    chunked = evaluate_batch(hh, mem, params, ON, sup)
    assert chunked.height == 20_000
    assert chunked.equals(whole)


def test_narrow_inputs_give_the_documented_result_types(population):
    # The generator stores Int32/Int8 amounts and Enum codes; the result is the same as for the documented schema.
    params = load_profile("hulunbuir").params_as_of(ON)
    hh, mem, sup = population
    narrow = evaluate_batch(hh, mem, params, ON, sup)
    wide = evaluate_batch(hh.cast(HOUSEHOLD_SCHEMA), mem.cast(MEMBER_SCHEMA), params, ON, sup.cast(SUPPORTER_SCHEMA))
    assert narrow.equals(wide)
    assert narrow.schema == wide.schema


def test_plan_is_built_once_per_policy_version_and_date():
    params = load_profile("dazhou").params_as_of(ON)
    again = load_profile("dazhou").params_as_of(ON)
    assert plan_for(params, ON) is plan_for(again, ON)
    assert plan_for(params, ON) is not plan_for(params, dt.date(2026, 3, 2))


def test_member_lists_match_the_counts_and_change_nothing_else(population):
    params = load_profile("hulunbuir").params_as_of(ON)
    hh, mem, sup = population
    plain = evaluate_batch(hh, mem, params, ON, sup)
    res = evaluate_batch(hh, mem, params, ON, sup, with_members=True)
    assert res.drop("persons", "dibao_members", "tekun_members").equals(plain)
    counts = res.select(
        dibao=(pl.col("dibao_members").list.len() == pl.col("dibao_persons")).all(),
        tekun=(pl.col("tekun_members").list.len() == pl.col("tekun_persons")).all(),
        persons=(pl.col("persons").list.len() == pl.col("n") + pl.col("n_excluded")).all(),
        some_single=(pl.col("dibao_single") & (pl.col("dibao_members").list.len() > 0)).any(),
        some_tekun=(pl.col("tekun_members").list.len() > 0).any(),
    ).row(0, named=True)
    assert counts == {"dibao": True, "tekun": True, "persons": True, "some_single": True, "some_tekun": True}


@pytest.mark.parametrize("on", [ON, dt.date(2024, 2, 29), dt.date(2025, 2, 28), dt.date(2025, 12, 31)])
def test_age_table_gives_the_age_of_every_birth_date_it_covers(on):
    # The batch reads ages from a table; the table must give the full years of the date parts for every date it
    # covers (29 February births and an evaluation on 29 February included).
    from doudi.rules import members

    lo, hi = members.age_table_days(on)
    days = pl.select(birth_date=pl.int_range(lo, hi + 1, dtype=pl.Int32).cast(pl.Date))
    got = days.select(table=members._age_table(on), parts=members._age(pl, on))
    assert got.height == hi - lo + 1 > 150 * 365
    assert got.filter(pl.col("table") != pl.col("parts")).height == 0
    assert got["table"].null_count() == 0
    # a birthday today makes the year full; the day before it does not
    assert days.with_columns(a=members._age_table(on)).filter(
        pl.col("birth_date") == dt.date(on.year - 40, on.month, on.day))["a"].to_list() == [40]


def test_birth_dates_outside_the_age_table_give_the_same_decisions(population):
    # A chunk with a birth date the table does not cover (here 1700) is evaluated with the age by date parts.
    params = load_profile("hulunbuir").params_as_of(ON)
    hh, mem, sup = population
    first = mem.get_column("hh_id")[0]
    old = mem.with_columns(birth_date=pl.when(pl.col("hh_id") == first).then(pl.lit(dt.date(1700, 1, 1)))
                           .otherwise(pl.col("birth_date")))
    plan = plan_for(params, ON).batch
    assert engine._age_table_fits(mem, plan.age_days) and not engine._age_table_fits(old, plan.age_days)
    a = evaluate_batch(hh, old, params, ON, sup, with_members=True)
    b = evaluate_batch(hh, mem, params, ON, sup, with_members=True)
    assert a.filter(pl.col("hh_id") != first).equals(b.filter(pl.col("hh_id") != first))
    assert a.filter(pl.col("hh_id") == first)["persons"][0][0]["age"] == ON.year - 1700  # born 1 January


def _with_gaps(frame: pl.DataFrame, keep: set[str], seed: int) -> pl.DataFrame:
    """Every 13th value (pseudo-random per column) of every column but ``keep`` missing: null semantics exercised."""
    return frame.with_columns(
        pl.when((pl.int_range(pl.len()).hash(seed + j) % 13) == 0).then(None).otherwise(pl.col(c)).alias(c)
        for j, c in enumerate(frame.columns) if c not in keep)


@pytest.mark.parametrize("profile", ["hulunbuir", "dezhou", "national"])
@pytest.mark.parametrize("gaps", [False, True])
def test_deciding_only_the_tekun_candidates_gives_every_members_sums(population, profile, gaps):
    # The batch runs stage 2 on the 特困 candidates only and takes the others' contributions from stage 1; the
    # per-household stage-2 sums must be those of stage 2 run on every member (the engine before this shortcut).
    params = load_profile(profile).params_as_of(ON)
    hh, mem, _ = population
    if gaps:
        hh, mem = _with_gaps(hh, {"hh_id"}, 3), _with_gaps(mem, {"hh_id", "bit"}, 5)
    r = plan_for(params, ON).batch
    hh, mem = hh.head(5_000), mem.filter(pl.col("hh_id").is_in(hh.head(5_000)["hh_id"].implode()))
    m, aligned = engine._in_household_order(hh, mem)
    i = m.get_column("_i")
    m = m.with_columns(hh.get_column(c).gather(i) for c in engine.TO_FACTS)
    facts = r.facts.apply(m.lazy()).with_columns(i).collect()
    h = engine._attach(hh.with_row_index("_i").with_columns(pl.col("_i").cast(pl.Int64)),
                       engine._sums(facts, r.batch_fact_sums, False), aligned).lazy().cast(engine._household_cast(
                           hh.schema)).with_columns(ext_able_mask=pl.lit(0, pl.Int64))
    h = r.household.apply(h).collect()
    everyone = r.decide.apply(facts.with_columns(h.get_column(c).gather(i) for c in engine.TO_DECIDE).lazy())
    expected = engine._sums(everyone, r.decide_sums, False).drop("_i")
    cand = everyone.filter(r.candidate)
    got = engine._with_decide_sums(h, engine._sums(cand, r.decide_deltas, False)).select(expected.columns)
    assert cand.collect().height < facts.height // 5  # the shortcut skips most members
    assert got.equals(expected)
    assert expected.select(pl.col("c2") // 64 ** 3 % 64).sum().item() > 0  # some 特困 persons (tk_c …) exist
