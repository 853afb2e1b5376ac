"""Seeded, vectorised synthetic population in the engine's frame layout (for benchmarks and property tests).

Randomness comes from Polars' hash of the row index with a per-field seed — no numpy, no Python loop per row.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from doudi.rules.kinds import (
    DISABILITY_TYPES,
    EXPENSE_KINDS,
    INCOME_KINDS,
    RELATIONSHIPS,
    RISE_REASONS,
    SCHOOL_LEVELS,
    TEMP_CAUSES,
    TEMP_SEVERITY,
    TEMP_TYPES,
    WORK_ABILITY,
)
from doudi.rules.schema import HOUSEHOLD_SCHEMA, MEMBER_SCHEMA, SUPPORTER_SCHEMA

C = pl.col


def _rand(idx: pl.Expr, seed: int, k: int) -> pl.Expr:
    """Uniform-ish integer in [0, k) from the row index."""
    return (idx.hash(seed) % k).cast(pl.Int64)


CHUNK = 250_000  # households generated per pass: bounds the generator's intermediates (memory)

# Narrow storage for the generated columns (the engine computes in Int64 fen, one chunk at a time): the values fit
# — monthly amounts and 12-month sums below 2^31 fen (21 million yuan), counts below 128.
_HH_DTYPES = {"current_amount": pl.Int32, "rigid_12m": pl.Int32, "income_12m": pl.Int32, "fin_assets": pl.Int32,
              "vehicles": pl.Int8, "vehicle_value": pl.Int32, "extra_real_estate": pl.Int8, "business_regs": pl.Int8,
              "temp_persons": pl.Int8, "temp_requested": pl.Int32, "med_outpatient_oop": pl.Int32,
              "med_inpatient_oop": pl.Int32, "med_ytd_outpatient": pl.Int32, "med_ytd_inpatient": pl.Int32,
              "rise_reason": pl.Enum(list(RISE_REASONS)), "temp_type": pl.Enum(list(TEMP_TYPES)),
              "temp_cause": pl.Enum(list(TEMP_CAUSES)), "temp_severity": pl.Enum(list(TEMP_SEVERITY)),
              "rise_month": pl.Int32, "grace_start": pl.Int32, "grace_granted": pl.Int8, "grace_requested": pl.Int8}
_MEM_DTYPES = {**{f"inc_{k}": pl.Int32 for k in INCOME_KINDS}, **{f"exp_{k}": pl.Int32 for k in EXPENSE_KINDS},
               "dis_grade": pl.Int8, "self_care_failed": pl.Int8, "dis_type": pl.Enum(list(DISABILITY_TYPES)),
               "school_level": pl.Enum(list(SCHOOL_LEVELS)), "work_ability": pl.Enum(list(WORK_ABILITY)),
               "bit": pl.Int8, "sup_mask": pl.Int8, "ext_mask": pl.Int8, "relationship": pl.Enum(list(RELATIONSHIPS)),
               "m_income_12m": pl.Int32, "m_rigid_12m": pl.Int32}
_SUP_DTYPES = {"age": pl.Int8, "income_12m": pl.Int32, "bit": pl.Int8, "work_ability": pl.Enum(list(WORK_ABILITY))}


def synthetic_population(n: int, *, seed: int = 7, id_dtype: pl.DataType = pl.Int64):
    """Return (households, members, supporters) frames with ``n`` households (1–5 members each).

    Generated ``CHUNK`` households at a time (each value depends only on its row index, so the result does not
    depend on the chunking); the frames are returned chunked, not copied into one buffer."""
    parts = [_chunk(a, min(a + CHUNK, n), seed, id_dtype) for a in range(0, n, CHUNK)] or [_chunk(0, 0, seed, id_dtype)]
    return tuple(pl.concat([p[k] for p in parts], rechunk=False) for k in range(3))


def _chunk(start: int, stop: int, seed: int, id_dtype: pl.DataType):
    hh = _households(start, stop, seed, id_dtype)
    mem, sup = _members(hh, seed), _supporters(hh, seed)
    return _narrow(hh, HOUSEHOLD_SCHEMA, _HH_DTYPES), _narrow(mem, MEMBER_SCHEMA, _MEM_DTYPES), _narrow(
        sup, SUPPORTER_SCHEMA, _SUP_DTYPES)


def _households(start: int, stop: int, seed: int, id_dtype: pl.DataType) -> pl.DataFrame:
    i = C("i")
    return pl.select(pl.int_range(start, stop, dtype=pl.Int64).alias("i")).with_columns(
        size=1 + _rand(i, seed, 5),
        is_urban=_rand(i, seed + 1, 2) == 0,
        registered_poor=_rand(i, seed + 2, 20) == 0,
        income_irregular=_rand(i, seed + 3, 4) == 0,
        on_dibao=_rand(i, seed + 4, 5) == 0,
        current_amount=_rand(i, seed + 5, 3000) * 100,
        rise_reason=pl.when(_rand(i, seed + 6, 3) == 0).then(pl.lit("employment"))
        .when(_rand(i, seed + 6, 3) == 1).then(pl.lit("land_compensation")).otherwise(pl.lit(None, pl.String)),
        # 渐退 memory: some rises dated (2025-06 … 2026-05), some periods already granted, some months asked for
        rise_month=pl.when(_rand(i, seed + 21, 2) == 0).then(2025 * 12 + 5 + _rand(i, seed + 22, 12))
        .otherwise(pl.lit(None, pl.Int64)),
        grace_start=pl.when(_rand(i, seed + 23, 4) == 0).then(2025 * 12 + 5 + _rand(i, seed + 24, 12))
        .otherwise(pl.lit(None, pl.Int64)),
        grace_requested=pl.when(_rand(i, seed + 26, 5) == 0).then(_rand(i, seed + 27, 15))
        .otherwise(pl.lit(None, pl.Int64)),
        grace_special=_rand(i, seed + 28, 10) == 0,
        temp_severity=pl.when(_rand(i, seed + 29, 3) == 0).then(pl.lit("major")).otherwise(pl.lit("general")),
        rigid_12m=_rand(i, seed + 7, 6_000_000),
        income_12m=_rand(i, seed + 8, 12_000_000),
        fin_assets=_rand(i, seed + 9, 8_000_000),
        vehicles=(_rand(i, seed + 10, 10) == 0).cast(pl.Int64),
        vehicle_value=_rand(i, seed + 11, 5_000_000),
        extra_real_estate=(_rand(i, seed + 12, 20) == 0).cast(pl.Int64),
        business_regs=(_rand(i, seed + 13, 25) == 0).cast(pl.Int64),
        temp_type=pl.when(_rand(i, seed + 14, 4) == 0).then(pl.lit("emergency"))
        .when(_rand(i, seed + 14, 4) == 1).then(pl.lit("expenditure")).otherwise(pl.lit(None, pl.String)),
        temp_cause=pl.when(_rand(i, seed + 15, 2) == 0).then(pl.lit("serious_illness")).otherwise(pl.lit("education")),
        temp_persons=pl.lit(None, pl.Int64),
        temp_requested=_rand(i, seed + 16, 2_000_000),
        med_outpatient_oop=_rand(i, seed + 17, 2_000_000),
        med_inpatient_oop=_rand(i, seed + 18, 8_000_000),
        med_ytd_outpatient=_rand(i, seed + 19, 500_000),
        med_ytd_inpatient=_rand(i, seed + 20, 1_000_000),
    ).with_columns(
        hh_id=C("i").cast(id_dtype),
        grace_granted=pl.when(C("grace_start").is_not_null()).then(1 + _rand(i, seed + 25, 12)),
        has_sup=_rand(i, seed + 100, 10) == 0,  # the households that have a supporter living elsewhere (below)
    )


def _members(hh: pl.DataFrame, seed: int) -> pl.DataFrame:
    # one row per member: repeat each household index `size` times
    mem = hh.select("i", "hh_id", "size", "has_sup").with_columns(k=pl.int_ranges(0, C("size"))).explode("k")
    j = C("i") * 8 + C("k")
    # Who is obliged to support whom: head (0) and spouse (1) each other, both their children (2 …); the children
    # their parents; the supporter elsewhere (if any) the head and the spouse. A third of the households give no
    # links (``supported_by`` absent: every other member and supporter presumed obliged, docs/engine.md).
    k = C("k")
    kids = (pl.lit(1, pl.Int64) * 2 ** C("size").cast(pl.Int64) - 4).clip(0)  # bits 2 … size-1
    explicit = _rand(C("i"), seed + 43, 3) != 0
    everyone = (pl.lit(1, pl.Int64) * 2 ** C("size").cast(pl.Int64) - 1) - 2 ** k.cast(pl.Int64)
    base_day = dt.date(1930, 1, 1)
    return mem.with_columns(
        birth_date=pl.lit(base_day) + pl.duration(days=_rand(j, seed + 30, 95 * 365)),
        imprisoned=_rand(j, seed + 31, 200) == 0,
        compulsory_rehab=_rand(j, seed + 32, 500) == 0,
        declared_missing=_rand(j, seed + 33, 500) == 0,
        clergy_apart_since=pl.when(_rand(j, seed + 34, 1000) == 0).then(pl.lit(dt.date(2015, 1, 1)))
        .otherwise(pl.lit(None, pl.Date)),
        full_time_student=_rand(j, seed + 35, 6) == 0,
        school_level=pl.when(_rand(j, seed + 36, 6) == 0).then(pl.lit("senior_high"))
        .when(_rand(j, seed + 36, 6) == 1).then(pl.lit("secondary_vocational"))
        .when(_rand(j, seed + 36, 6) == 2).then(pl.lit("bachelor")).otherwise(pl.lit(None, pl.String)),
        employed=_rand(j, seed + 37, 2) == 0,
        dis_type=pl.when(_rand(j, seed + 38, 10) == 0).then(pl.lit("intellectual"))
        .when(_rand(j, seed + 38, 10) == 1).then(pl.lit("physical")).otherwise(pl.lit(None, pl.String)),
        dis_grade=_rand(j, seed + 39, 5).cast(pl.Int8),
        serious_illness=_rand(j, seed + 40, 25) == 0,
        self_care_failed=_rand(j, seed + 41, 7).cast(pl.Int8),
        work_ability=pl.when(_rand(j, seed + 42, 5) == 0).then(pl.lit("none"))
        .when(_rand(j, seed + 42, 5) == 1).then(pl.lit("partial")).otherwise(pl.lit("full")),
        bit=(2 ** k.cast(pl.Int64)).cast(pl.Int64),
        sup_mask=pl.when(~explicit).then(everyone).when(k == 0).then(kids + (C("size") > 1).cast(pl.Int64) * 2)
        .when(k == 1).then(kids + 1).otherwise(3 & (2 ** C("size").cast(pl.Int64) - 1)).cast(pl.Int64),
        ext_mask=pl.when(~C("has_sup")).then(0).when(~explicit | (k <= 1)).then(1).otherwise(0).cast(pl.Int64),
        relationship=pl.when(k == 0).then(pl.lit("head")).when(k == 1).then(pl.lit("spouse"))
        .when(_rand(j, seed + 44, 10) == 0).then(pl.lit("sibling")).otherwise(pl.lit("child")),
        co_resident=_rand(j, seed + 45, 10) != 0,
        date_of_death=pl.when(_rand(j, seed + 46, 300) == 0).then(pl.lit(dt.date(2020, 1, 1))
                                                                  + pl.duration(days=_rand(j, seed + 47, 2500)))
        .otherwise(pl.lit(None, pl.Date)),
        no_civil_capacity=_rand(j, seed + 48, 150) == 0,
        m_income_12m=pl.lit(None, pl.Int64),  # the household's 12-month income is given (below)
        m_rigid_12m=pl.when(_rand(j, seed + 49, 8) == 0).then(_rand(j, seed + 120, 1_000_000))
        .otherwise(pl.lit(None, pl.Int64)),
        **{f"inc_{k}": pl.when(_rand(j, seed + 50 + x, 3) == 0).then(_rand(j, seed + 70 + x, 300_000))
           .otherwise(0).cast(pl.Int32) for x, k in enumerate(INCOME_KINDS)},
        **{f"exp_{k}": pl.when(_rand(j, seed + 90 + x, 4) == 0).then(_rand(j, seed + 95 + x, 100_000))
           .otherwise(0).cast(pl.Int32) for x, k in enumerate(EXPENSE_KINDS)},
    )


def _supporters(hh: pl.DataFrame, seed: int) -> pl.DataFrame:
    return hh.filter("has_sup").select("i", "hh_id").with_columns(
        bit=pl.lit(1, pl.Int64),
        work_ability=pl.when(_rand(C("i"), seed + 110, 8) == 0).then(pl.lit("none")).otherwise(pl.lit("full")),
        age=40 + _rand(C("i"), seed + 101, 50),
        is_tekun=_rand(C("i"), seed + 102, 10) == 0,
        is_dibao=_rand(C("i"), seed + 103, 5) == 0,
        income_12m=_rand(C("i"), seed + 104, 6_000_000),
        severe_disability=_rand(C("i"), seed + 105, 10) == 0,
        no_civil_capacity=_rand(C("i"), seed + 106, 50) == 0,
        missing=_rand(C("i"), seed + 107, 100) == 0,
        imprisoned=_rand(C("i"), seed + 108, 100) == 0,
        property_ok=_rand(C("i"), seed + 109, 5) != 0,
    )


def _narrow(df: pl.DataFrame, schema: dict[str, pl.DataType], narrow: dict[str, pl.DataType]) -> pl.DataFrame:
    return df.select("hh_id", *[C(c).cast(narrow.get(c, t)) for c, t in schema.items() if c != "hh_id"])
