"""The vectorised eligibility and benefit engine. Pure: Polars expressions only, no ORM, no I/O.

The rules (``members``, ``programs``, ``grace``, ``temporary``, ``medical``, ``masks``) are written once, as
expressions over a namespace ``ex`` (``C = ex.col``, ``ex.when``, ``ex.lit`` …), and built twice per (policy
version, date) — ``plan_for``: with ``ex = polars`` into the plan that evaluates one household or millions
(``evaluate_batch``), and with ``ex = rowexpr`` into plain Python functions of one row (``evaluate_rows``), which
``evaluate_households`` uses for a few households because Polars' fixed cost per expression node dwarfs the
arithmetic. tests/rules/test_row_engine.py proves both give identical results.

Stages (members are grouped by household; ``_i`` is the household's row number):
members → ``facts`` → summed per household → ``household_facts`` (property, masks of able supporters) → back onto
the members → ``decide`` (each person's 特困 outcome, the 低保 unit) → summed → ``programs``; with
``with_members`` also → ``persons`` (the per-person output) → one list per household.

What the batch does to be fast (docs/benchmarks.md, rules engine; the results are those of the stages above, proven
by tests/rules/test_row_engine.py and test_engine.py): ``decide`` runs only on the 特困 candidates — for every
other member the stage-2 contribution is known at stage 1 and summed there (``members.DECIDE_BASE``); ages come
from a table of every birth date in 150 years (``members._age_table``); codes stored as an Enum are compared as
they are, and ``temp_approval``/``medical_category`` are built as their result Enum, never through strings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import polars as pl

from doudi.rules import members as M
from doudi.rules import programs as P
from doudi.rules import rowexpr
from doudi.rules.kinds import ADULT_AGE, TEMP_CAUSES, TEMP_SEVERITY, TEMP_TYPES
from doudi.rules.medical import CATEGORY
from doudi.rules.params import Params
from doudi.rules.pipeline import Pipeline
from doudi.rules.scalars import Scalars
from doudi.rules.schema import HOUSEHOLD_SCHEMA, SUPPORTER_SCHEMA
from doudi.rules.temporary import APPROVAL

C = pl.col
SMALL = 64  # households: below this, query optimisation costs more than it saves
CHUNK_HOUSEHOLDS = 100_000  # households per pass: bounds the intermediates (memory), not the speed
# Household results carried back onto the member rows for the next stage.
TO_DECIDE = ["property_ok", "able_mask", "ext_able_mask"]
TO_PERSONS = ["dibao_whole", "dibao_single", "margin"]
# What a member row keeps after the facts stage (the rest of the input is not needed again).
FACT_KEEP = ["bit", "sup_mask", "ext_mask", "nc", "counted", "dead", "age", "able_work", "tier", "tk_target",
             "inc_tk", "inc_db", "inc_excl", "emp_ded", "rigid", "own", "severe", "m_able", "m_prop", "m_income_12m",
             "m_rigid_12m", "is_urban"]
# Household inputs carried onto the member rows before the facts stage.
TO_FACTS = ["is_urban", "on_dibao"]


def _supporter_able(ex: Any, s: Scalars) -> Any:
    """S2 Art 8 for a supporter living elsewhere (row with its household's ``is_urban``): unable if a 特困 person, a
    低保 recipient of the supporter age, aged ``supporter_elderly_age``+ or severely disabled or of a work ability the
    profile lists with income below last year's per-capita disposable income, or without civil capacity / missing /
    imprisoned — the last three with property within the low-income rules; a minor has no duty."""
    C = ex.col
    disp = ex.when(C("is_urban")).then(ex.lit(s.disp_u)).otherwise(ex.lit(s.disp_r))
    below = (C("income_12m") < disp).fill_null(False) & C("property_ok")
    unable = C("is_tekun") | (C("age") < ADULT_AGE) | (C("severe_disability") & below) \
        | ((C("no_civil_capacity") | C("missing") | C("imprisoned")) & C("property_ok"))
    if s.sup_dibao_age is not None:
        unable = unable | (C("is_dibao") & (C("age") >= s.sup_dibao_age))
    if s.sup_elderly_age is not None:
        unable = unable | ((C("age") >= s.sup_elderly_age) & below)
    if s.sup_unable_work:
        unable = unable | (C("work_ability").is_in(s.sup_unable_work).fill_null(False) & below)
    return ex.when(unable).then(ex.lit(0, pl.Int64)).otherwise(C("bit").cast(pl.Int64))


@dataclass(frozen=True)
class Rules:
    """The rules built with one expression namespace ``ex``: ``polars`` (batches) or ``rowexpr`` (one household)."""

    facts: Pipeline  # member rows → per-member facts (FACT_KEEP)
    facts_any_date: Pipeline  # the same for birth dates outside age_days (the age by date parts, not the table)
    age_days: tuple[int, int]  # birth dates (days since 1970-01-01) the age table of ``facts`` covers
    fact_sums: list[Any]  # per member → contributions to M.FACT_SUMS
    supporter_bit: Any  # per supporter row (+ is_urban): its bit if able to support (S2 Art 8), else 0
    household: Pipeline  # household row + FACT_SUMS + ext_able_mask → property, std, able_mask …
    decide: Pipeline  # member facts + TO_DECIDE → per-person 特困 and 低保 unit
    decide_sums: list[Any]  # per member → contributions to M.DECIDE_SUMS
    batch_fact_sums: list[Any]  # fact_sums with the stage-2 contributions known at stage 1 (M.batch_fact_sums)
    candidate: Any  # per member: may be 特困 (M.tekun_candidate; the batch decides only these)
    decide_deltas: list[Any]  # per decided candidate → its M.DECIDE_SUMS contributions less the base
    programs: Pipeline  # household + DECIDE_SUMS → P.OUTPUT_COLUMNS
    persons: dict[str, Any]  # decided member + TO_PERSONS → M.PERSON_FIELDS

    @classmethod
    def build(cls, ex: Any, s: Scalars, as_of: dt.date) -> Rules:
        facts = M.facts(ex, s, as_of).select(*FACT_KEEP)
        fast = M.facts(ex, s, as_of, age_table=True).select(*FACT_KEEP) if ex is pl else facts
        return cls(fast, facts, M.age_table_days(as_of), M.fact_sums(ex), _supporter_able(ex, s),
                   P.household_facts(ex, s), M.decide(ex, s), M.decide_sums(ex), M.batch_fact_sums(ex, s),
                   M.tekun_candidate(ex, s), M.decide_deltas(ex, s), P.programs(ex, s, as_of), M.persons(ex, s))


@dataclass(frozen=True)
class Plan:
    """Everything the engine derives from (params, date) before it sees data."""

    scalars: Scalars
    batch: Rules
    row: Rules

    @classmethod
    def build(cls, params: Params, as_of: dt.date) -> Plan:
        s = Scalars(params)
        return cls(s, Rules.build(pl, s, as_of), Rules.build(rowexpr, s, as_of))


class _PlanKey:
    """Params hold mappings, so they are not hashable; the plan cache keys on the version fingerprint (which covers
    every value and its provenance) and the evaluation date."""

    __slots__ = ("key", "params")

    def __init__(self, params: Params, as_of: dt.date):
        self.params, self.key = params, (params.version(), as_of)

    def __hash__(self) -> int:
        return hash(self.key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _PlanKey) and self.key == other.key


@lru_cache(maxsize=64)
def _cached_plan(k: _PlanKey) -> Plan:
    return Plan.build(k.params, k.key[1])


def plan_for(params: Params, as_of: dt.date) -> Plan:
    return _cached_plan(_PlanKey(params, as_of))


# Narrow result types (the values are those of the documented Int64/String results): a million rows of counts,
# months and codes take a quarter of the memory. Money and masks stay Int64.
_COUNTS = ["n", "n_excluded", "n_db", "dibao_persons", "tekun_persons", "tk_c", "tk_p", "tk_a", "tk_target_n",
           "tk_income_ok_n", "tk_sup_blocked_n", "rigid_valid_months", "grace_months", "grace_start",
           "grace_last_month", "grace_remaining", "temp_band", "temp_pay_within_hours", "review_months",
           "review_months_dibao"]
OUTPUT_TYPES: dict[str, pl.DataType] = {
    **{c: pl.Int32 for c in _COUNTS},
    "temp_type": pl.Enum(list(TEMP_TYPES)), "temp_cause": pl.Enum(list(TEMP_CAUSES)),
    "temp_severity": pl.Enum(list(TEMP_SEVERITY)),
    "temp_approval": APPROVAL,
    "medical_category": CATEGORY,
}


def _collect(lf: pl.LazyFrame, small: bool) -> pl.DataFrame:
    # The in-memory engine: for a chunk of 100 000 households it is as fast as the streaming engine and keeps less
    # memory; for a handful of rows query optimisation costs more than it saves (skipped for small frames).
    if small:
        return lf.collect(engine="in-memory", optimizations=pl.QueryOptFlags.none())
    return lf.collect(engine="in-memory")


def _sums(frame: pl.DataFrame | pl.LazyFrame, exprs: list[Any], small: bool) -> pl.DataFrame:
    """Per-household sums of member rows grouped contiguously by ``_i``: cumulative sums read at each group's last
    row, then differenced — linear and hash-free, several times faster than a group-by at millions of rows."""
    names = [e.meta.output_name() for e in exprs]
    last = (C("_i") != C("_i").shift(-1)).fill_null(True)
    lf = frame.lazy().select("_i", *[e.cum_sum().alias(n) for e, n in zip(exprs, names, strict=True)], _last=last)
    diff = [(C(n) - C(n).shift(1, fill_value=0)).cast(pl.Int64) for n in names]
    return _collect(lf.filter("_last").select("_i", *diff), small)


def _household_cast(schema: pl.Schema) -> dict[str, pl.DataType]:
    return _widen(schema, HOUSEHOLD_SCHEMA)


def _supporter_columns(plan: Plan) -> list[str]:
    """The supporter columns the rules read (``is_urban`` comes from the household)."""
    return list(dict.fromkeys(c for c in plan.batch.supporter_bit.meta.root_names() if c != "is_urban"))


def _widen(schema: pl.Schema, documented: dict[str, pl.DataType]) -> dict[str, pl.DataType]:
    """Narrow inputs (Int32/Int8 fen and counts) are widened to the documented types (households one chunk at a
    time), so a narrow input never overflows (e.g. ``rigid_12m × 10 000``). Codes stored as an Enum stay one: the
    rules only compare them with literals (``==``, ``!=``, ``is_in``, ``is_not_null``), which give the same results
    on an Enum as on strings (a literal outside the categories compares unequal), and an Enum column that is
    already the result's type needs no cast back; converting a million codes to strings and back costs more than
    the rest of the household stage."""
    cast = {}
    for k, v in documented.items():
        have = schema.get(k)
        if k == "hh_id" or have is None or have == v:
            continue
        if v == pl.String and isinstance(have, pl.Enum) and OUTPUT_TYPES.get(k, have) == have:
            continue
        cast[k] = v
    return cast


def _age_table_fits(mem: pl.DataFrame, days: tuple[int, int]) -> bool:
    """Every given birth date is within ``days`` (``members.age_table_days``: then the age table is exact)."""
    b = mem.get_column("birth_date")
    if b.dtype != pl.Date:
        return False
    if b.null_count() == len(b):
        return True
    phys = b.to_physical()
    return days[0] <= phys.min() and phys.max() <= days[1]


def _household_cuts(households: pl.DataFrame, members: pl.DataFrame) -> list[tuple[int, int, int, int]] | None:
    """(household offset, length, member offset, length) per chunk when members are grouped in the households'
    order (one run per household, runs in household order); None otherwise. A household never spans two chunks."""
    if households.height <= CHUNK_HOUSEHOLDS:
        return [(0, households.height, 0, members.height)]
    ids = members.get_column("hh_id")
    ends = (ids != ids.shift(-1)).fill_null(True).arg_true()
    if len(ends) != households.height or not ids.gather(ends).equals(households.get_column("hh_id")):
        return None
    cuts = []
    for a in range(0, households.height, CHUNK_HOUSEHOLDS):
        b = min(a + CHUNK_HOUSEHOLDS, households.height)
        m0 = int(ends[a - 1]) + 1 if a else 0
        cuts.append((a, b - a, m0, int(ends[b - 1]) + 1 - m0))
    return cuts


def evaluate_batch(
    households: pl.DataFrame | pl.LazyFrame,
    members: pl.DataFrame | pl.LazyFrame,
    params: Params,
    as_of: dt.date,
    supporters: pl.DataFrame | pl.LazyFrame | None = None,
    *,
    with_members: bool = False,
) -> pl.DataFrame:
    """Evaluate every program for every household. Returns one row per household (see docs/engine.md).

    ``with_members=True`` adds ``persons`` (one struct per member, in input order: ``members.PERSON_FIELDS``) and
    ``dibao_members`` / ``tekun_members`` (positions of the members covered by 低保 and by 特困)."""
    plan = plan_for(params, as_of)
    hh = households.collect() if isinstance(households, pl.LazyFrame) else households
    mem = members.collect() if isinstance(members, pl.LazyFrame) else members
    if isinstance(supporters, pl.LazyFrame):
        supporters = supporters.collect()
    sup = supporters if supporters is not None and supporters.height else None
    if sup is not None:  # widened once for all chunks (each chunk joins all supporters to its households)
        sup = sup.select("hh_id", *_supporter_columns(plan)).cast(_widen(sup.schema, SUPPORTER_SCHEMA))
    cuts = _household_cuts(hh, mem)
    if cuts is None:  # members not grouped in the households' order: one pass (ordered, then joined)
        cuts = [(0, hh.height, 0, mem.height)]
    parts = [_evaluate_chunk(hh.slice(a, na), mem.slice(m, nm), sup, plan, with_members) for a, na, m, nm in cuts]
    return parts[0] if len(parts) == 1 else pl.concat(parts, rechunk=False)


def _in_household_order(hh: pl.DataFrame, mem: pl.DataFrame) -> tuple[pl.DataFrame, bool]:
    """Members with ``_i`` (their household's row number), grouped in the households' order; True when they
    already were (then every household has members and the sums line up with the households row for row)."""
    ids = mem.get_column("hh_id")
    start = (ids != ids.shift(1)).fill_null(True)
    ends = (ids != ids.shift(-1)).fill_null(True)
    if int(ends.sum()) == hh.height and ids.filter(ends).equals(hh.get_column("hh_id")):
        return mem.with_columns(_i=start.cum_sum().cast(pl.Int64) - 1), True
    index = hh.select("hh_id").with_row_index("_i").with_columns(C("_i").cast(pl.Int64))
    return mem.join(index, on="hh_id", how="inner", maintain_order="left").sort("_i", maintain_order=True), False


def _attach(left: pl.DataFrame, sums: pl.DataFrame, aligned: bool) -> pl.DataFrame:
    if aligned:
        return pl.concat([left, sums.drop("_i")], how="horizontal")
    return left.join(sums, on="_i", how="left", maintain_order="left")


def _evaluate_chunk(hh: pl.DataFrame, mem: pl.DataFrame, sup: pl.DataFrame | None, plan: Plan,
                    with_members: bool) -> pl.DataFrame:
    small = hh.height <= SMALL
    r = plan.batch
    mem, aligned = _in_household_order(hh, mem)
    i = mem.get_column("_i")
    mem = mem.with_columns(hh.get_column(c).gather(i) for c in TO_FACTS)
    stage = r.facts if _age_table_fits(mem, r.age_days) else r.facts_any_date
    facts = _collect(stage.apply(mem.lazy()).with_columns(i), small)
    del mem
    h = _attach(hh.with_row_index("_i").with_columns(C("_i").cast(pl.Int64)),
                _sums(facts, r.batch_fact_sums, small), aligned).lazy().cast(_household_cast(hh.schema))
    if sup is not None:
        able = sup.lazy().join(
            hh.lazy().select("hh_id", "is_urban"), on="hh_id", how="inner").group_by("hh_id").agg(
            r.supporter_bit.sum().cast(pl.Int64).alias("ext_able_mask"))
        h = h.join(able, on="hh_id", how="left", maintain_order="left")
    else:
        h = h.with_columns(ext_able_mask=pl.lit(0, pl.Int64))
    h = _collect(r.household.apply(h), small)
    # Stage 2 on the 特困 candidates only (members.DECIDE_BASE); every member's decisions for the per-person output.
    if with_members:
        decided = _collect(r.decide.apply(facts.with_columns(h.get_column(c).gather(i) for c in TO_DECIDE).lazy()),
                           small)
        candidates = decided.lazy().filter(r.candidate)
    else:
        cand = _collect(facts.lazy().filter(r.candidate), small)
        candidates = r.decide.apply(cand.with_columns(h.get_column(c).gather(cand.get_column("_i"))
                                                      for c in TO_DECIDE).lazy())
    out = _collect(r.programs.apply(_with_decide_sums(h, _sums(candidates, r.decide_deltas, small)).lazy())
                   .cast(OUTPUT_TYPES), small)
    return _with_persons(out, decided.lazy(), r.persons, small) if with_members else out


def _with_decide_sums(h: pl.DataFrame, deltas: pl.DataFrame) -> pl.DataFrame:
    """``members.DECIDE_SUMS`` per household: the stage-1 base (``members.DECIDE_BASE``) plus the candidates'
    differences (``deltas``: one row per household with a candidate, by ``_i``)."""
    at = deltas.get_column("_i")
    cols = []
    for name, base in M.DECIDE_BASE.items():
        diff = pl.zeros(h.height, pl.Int64, eager=True).scatter(at, deltas.get_column(name))
        have = h.get_column("c1") // M.C2B_SHIFT if base == "c2b" else h.get_column(base)  # c2b: packed in c1
        cols.append((have.fill_null(0) + diff).alias(name))
    return h.with_columns(cols)


def _with_persons(out: pl.DataFrame, decided: pl.LazyFrame, persons: dict[str, Any], small: bool) -> pl.DataFrame:
    """The per-person output and the covered members' positions (0-based, within the household, in input order)."""
    flags = out.select(TO_PERSONS).with_row_index("_i").with_columns(C("_i").cast(pl.Int64))
    rows = decided.join(flags.lazy(), on="_i", how="left", maintain_order="left").select(
        "_i", pl.struct(**persons).alias("person"))
    pos = pl.int_range(pl.len(), dtype=pl.UInt32)
    program = C("person").struct.field("program")
    lists = rows.group_by("_i", maintain_order=True).agg(
        C("person").alias("persons"),
        pos.filter(program.is_in(["dibao", "dibao_single"]).fill_null(False)).alias("dibao_members"),
        pos.filter(program == "tekun").alias("tekun_members"),
    )
    index = out.with_row_index("_i").with_columns(C("_i").cast(pl.Int64)).lazy()
    return _collect(index.join(lists, on="_i", how="left", maintain_order="left").drop("_i"), small)


def evaluate_rows(households: list[dict[str, Any]], members: list[list[dict[str, Any]]],
                  supporters: list[list[dict[str, Any]]], params: Params, as_of: dt.date) -> list[dict[str, Any]]:
    """The same rules on a few households as plain rows (no Polars): per household its row (HOUSEHOLD_SCHEMA keys),
    its members' rows in input order and its supporters' rows. Returns what ``evaluate_batch(...,
    with_members=True).to_dicts()`` returns — proven equal in tests/rules/test_row_engine.py."""
    r = plan_for(params, as_of).row
    out = []
    for hrow, mems, sups in zip(households, members, supporters, strict=True):
        carried = {c: hrow[c] for c in TO_FACTS}
        facts = [r.facts.apply_row({**m, **carried}) for m in mems]
        row = {**hrow, **_row_sums(facts, r.fact_sums)}
        row["ext_able_mask"] = sum(r.supporter_bit.fn({**sp, "is_urban": hrow["is_urban"]}) for sp in sups)
        row = r.household.apply_row(row)
        carried = {c: row[c] for c in TO_DECIDE}
        decided = [r.decide.apply_row({**f, **carried}) for f in facts]
        res = r.programs.apply_row({**row, **_row_sums(decided, r.decide_sums)})
        flags = {c: res[c] for c in TO_PERSONS}
        people = [{k: e.fn({**d, **flags}) for k, e in r.persons.items()} for d in decided]
        res["persons"] = people
        res["dibao_members"] = [j for j, p in enumerate(people) if p["program"] in ("dibao", "dibao_single")]
        res["tekun_members"] = [j for j, p in enumerate(people) if p["program"] == "tekun"]
        out.append(res)
    return out


def _row_sums(rows: list[dict[str, Any]], exprs: list[Any]) -> dict[str, int]:
    """The per-household sums (the batch: cumulative sums read at household ends); Polars sums skip nulls."""
    sums = {}
    for e in exprs:
        sums[e.name] = sum(v for x in rows if (v := e.fn(x)) is not None)
    return sums
