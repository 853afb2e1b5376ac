"""The vectorised eligibility and benefit engine. Pure: Polars expressions only, no ORM, no I/O.

The rules are written once, as expressions over a namespace ``ex`` (``C = ex.col``, ``ex.when``, ``ex.lit`` …), and
built twice per (policy version, date) — ``plan_for``: with ``ex = polars`` into the lazy plan that evaluates one
household or millions (``evaluate_batch``), and with ``ex = rowexpr`` into plain Python functions of one row
(``evaluate_rows``), which ``evaluate_households`` uses for a few households because Polars' fixed cost per
expression node (~1 500 nodes, ~5 ms) dwarfs the arithmetic. tests/rules/test_row_engine.py proves both give
identical results. Money is integer fen throughout (Int64); ratios are basis points (``BP``); every
multiplication by a ratio is followed by an explicit half-up integer division, and amounts are rounded half up
to the yuan once, at the end (stack-notes: Polars ``round`` is half-to-even).

Per-member quantities that depend on the urban/rural standard are computed for *both* standards (they are
scalars for one profile and date) and the household picks its own after aggregation — this avoids joining the
household's area onto every member row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import polars as pl

from doudi.rules import rowexpr
from doudi.rules.codes import REASON_BIT, RULE_BIT
from doudi.rules.kinds import EARNED_KINDS, EXPENSE_KINDS, INCOME_KINDS, TEKUN_SCHOOL_LEVELS
from doudi.rules.params import BP, Params
from doudi.rules.schema import HOUSEHOLD_SCHEMA, SUPPORTER_SCHEMA

C = pl.col
HALF = BP // 2


def _mul_bp(x: pl.Expr | int, bp: int) -> pl.Expr | int:
    """x × ratio, half up to the fen (x ≥ 0)."""
    return (x * bp + HALF) // BP


def _int_mul_bp(x: int, bp: int) -> int:
    return (x * bp + HALF) // BP


def round_yuan(x: pl.Expr) -> pl.Expr:
    """Half-up rounding of non-negative fen to whole yuan (四舍五入), result in fen."""
    return (x + 50) // 100 * 100


def _round_yuan_int(x: int) -> int:
    return (x + 50) // 100 * 100


def _years_before(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 Feb
        return d.replace(year=d.year - years, day=28)


def _add_months(d: dt.date, months: int) -> str:
    y, m = divmod(d.month - 1 + months, 12)
    return f"{d.year + y:04d}-{m + 1:02d}"


def _sum(ex: Any, cols: list[str]) -> pl.Expr:
    C = ex.col  # polars.col or rowexpr.col
    return ex.sum_horizontal([C(c).cast(pl.Int64) for c in cols]) if cols else ex.lit(0, pl.Int64)


def _bits(ex: Any, pairs: list[tuple[pl.Expr, int]]) -> pl.Expr:
    return ex.sum_horizontal([ex.when(cond).then(ex.lit(bit, pl.Int64)).otherwise(0) for cond, bit in pairs])


class Scalars:
    """Parameter values the expressions need, resolved once (plain ints, None = not in force)."""

    def __init__(self, p: Params):
        g = p.get
        self.std_u: int | None = g("dibao.standard.urban")
        self.std_r: int | None = g("dibao.standard.rural")
        self.has_std = self.std_u is not None and self.std_r is not None
        su, sr = self.std_u or 0, self.std_r or 0
        self.su, self.sr = su, sr
        self.method = g("dibao.amount_method", "gap")
        self.tiers = g("dibao.tiers") or ()
        min_wage = g("min_wage.monthly") or 0
        ec = g("dibao.employment_cost.method", "none")
        if ec == "fixed":
            self.emp_cost = g("dibao.employment_cost.fixed") or 0
        elif ec == "min_wage_share":
            self.emp_cost = _int_mul_bp(min_wage, g("dibao.employment_cost.min_wage_share") or 0)
        else:
            self.emp_cost = 0
        self.rigid_kinds = [f"exp_{k}" for k in (g("dibao.rigid_expense_deduction") or ()) if k in EXPENSE_KINDS]
        excl = set(g("income.excluded_kinds") or ())
        self.inc_cols = [f"inc_{k}" for k in INCOME_KINDS if k not in excl]
        self.excl_cols = [f"inc_{k}" for k in INCOME_KINDS if k in excl]
        tk_excl = set(g("tekun.excluded_kinds") or ())
        self.tk_inc_cols = [f"inc_{k}" for k in INCOME_KINDS if k not in tk_excl]
        self.single = bool(g("dibao.single_person.enabled", False))
        self.fin_months = g("dibao.property.financial_months")
        self.max_veh = g("dibao.property.max_vehicles")
        self.max_veh_value = g("dibao.property.max_vehicle_value")
        self.max_re = g("dibao.property.max_extra_real_estate")
        self.max_biz = g("dibao.property.max_business_registrations")
        self.margin_bp = g("margin.multiple")
        self.rigid_bp = g("rigid.ratio_threshold")
        self.rigid_valid = g("rigid.validity_months")
        self.disp_u = g("prior_year_disposable_income.urban")
        self.disp_r = g("prior_year_disposable_income.rural")
        # 特困 basic living per person, per area: multiple × base standard, rounded to the yuan.
        self.tk_basic = {}
        for area, own in (("u", su), ("r", sr)):
            mult = g(f"tekun.basic_multiple.{'urban' if area == 'u' else 'rural'}")
            base = su if g(f"tekun.basic_base.{'urban' if area == 'u' else 'rural'}", "own") == "urban" else own
            self.tk_basic[area] = _round_yuan_int(_int_mul_bp(base, mult)) if mult is not None else 0
        prev_wage = g("min_wage.prior_year_monthly")
        self.tk_care = {
            tier: (_round_yuan_int(_int_mul_bp(prev_wage, g(f"tekun.care_share.{tier}")))
                   if prev_wage is not None and g(f"tekun.care_share.{tier}") is not None else 0)
            for tier in ("complete", "partial", "able")
        }
        self.minor_age = g("tekun.minor_age", 18)
        self.school_ext = bool(g("tekun.school_extension", False))
        self.sup_dibao_age = g("tekun.supporter_dibao_age", 60)
        self.sup_elderly_age = g("tekun.supporter_elderly_age", 70)
        self.grace_months = g("grace.months") or 0
        self.grace_rp = g("grace.registered_poor_months")
        self.grace_excluded = list(g("grace.excluded_reasons") or ())
        self.bands = [dict(b) for b in (g("temporary.bands") or ())]
        self.township_limit = g("temporary.township_limit")
        self.emergency_hours = g("temporary.emergency_payment_hours")
        self.med = {
            (kind, cat): (g(f"medical.{kind}.{cat}.rate"), g(f"medical.{kind}.{cat}.cap"))
            for kind in ("outpatient_chronic", "inpatient") for cat in ("tekun", "dibao", "margin")
        }
        self.review = {k: g(f"review.months.{k}") for k in ("tekun", "stable", "unstable")}


def _member_aggregates(ex: Any, members: Pipeline, s: Scalars, as_of: dt.date) -> Pipeline:
    C = ex.col  # polars.col or rowexpr.col
    b = C("birth_date")
    md_as_of = as_of.month * 100 + as_of.day
    age = (as_of.year - b.dt.year().cast(pl.Int64)
           - ((b.dt.month().cast(pl.Int64) * 100 + b.dt.day().cast(pl.Int64)) > md_as_of).cast(pl.Int64))
    # S1 Art 7: prisoners, compulsory rehab, declared missing, and clergy living apart ≥ 3 years are not counted.
    clergy_out = C("clergy_apart_since").is_not_null() & (C("clergy_apart_since") <= _years_before(as_of, 3))
    excluded = C("imprisoned") | C("compulsory_rehab") | C("declared_missing") | clergy_out.fill_null(False)
    dt_, dg = C("dis_type"), C("dis_grade")
    intel_mental = dt_.is_in(["intellectual", "mental"]).fill_null(False)
    # S1 Art 8 / [000] 三(二)1 / [002] 二(一): grade 1–2 of any type, grade-3 intellectual/mental, serious illness.
    severe = dg.is_between(1, 2) | (intel_mental & (dg == 3))
    # S2 Art 5: no ability to work by disability.
    dis_no_work = ((intel_mental & dg.is_between(1, 3)) | ((dt_ == "physical") & dg.is_between(1, 2))
                   | ((dt_ == "visual") & (dg == 1))).fill_null(False)
    m = members.with_columns(
        age=age,
        counted=~excluded,
        inc_db=_sum(ex, s.inc_cols),
        inc_excl=_sum(ex, s.excl_cols),
        inc_tk=_sum(ex, s.tk_inc_cols),
        earned=_sum(ex, [f"inc_{k}" for k in EARNED_KINDS]),
        rigid=_sum(ex, s.rigid_kinds),
        severe=severe | C("serious_illness"),
        dis_no_work=dis_no_work,
    )
    # Necessary employment cost per employed member, never more than what that member earns (S1 Art 13).
    emp = ex.when(C("employed") & C("counted")).then(ex.min_horizontal(C("earned"), ex.lit(s.emp_cost))).otherwise(0)
    own = ex.max_horizontal(C("inc_db") - C("emp_ded") - C("rigid"), ex.lit(0))
    # 特困 target group: 60+, disability without work ability, minors to `minor_age`, and (S2 Art 24) older
    # students still in compulsory/senior-high/secondary-vocational school.
    in_school = C("school_level").is_in(list(TEKUN_SCHOOL_LEVELS)).fill_null(False)
    tk_target = (C("age") >= 60) | C("dis_no_work") | (C("age") < s.minor_age)
    if s.school_ext:
        tk_target = tk_target | in_school
    m = m.with_columns(emp_ded=emp).with_columns(own=own, tk_target=tk_target & C("counted"))
    fc = C("self_care_failed")
    tier = {"complete": fc >= 4, "partial": fc.is_between(1, 3), "able": fc == 0}  # S2 Art 22
    single_c = C("counted") & C("severe")
    i64 = pl.Int32  # per-member counts are 0/1; sums are widened to Int64 after grouping
    cols = [
        C("counted").cast(i64).alias("n"),
        (~C("counted")).cast(i64).alias("n_excluded"),
        ex.when(C("counted")).then(C("inc_db")).otherwise(0).alias("gross"),  # money stays Int64
        ex.when(C("counted")).then(C("inc_excl")).otherwise(0).alias("excl_income"),
        C("emp_ded").alias("emp_ded"),
        ex.when(C("counted")).then(C("rigid")).otherwise(0).alias("rigid_ded"),
        # an adult of working age who can work: a co-resident supporter, and a reason for half-yearly review
        (C("counted") & (C("age") >= s.minor_age) & (C("age") < 60) & ~C("dis_no_work")
         & (C("work_ability") != "none").fill_null(True)).cast(i64).alias("able_member"),
        C("tk_target").cast(i64).alias("tk_target_n"),
    ]
    for area, std in (("u", s.su), ("r", s.sr)):
        ok = single_c & (C("own") < std)
        cols += [ok.cast(i64).alias(f"single_n_{area}"),
                 ex.when(ok).then(std - C("own")).otherwise(0).alias(f"single_amt_{area}")]
        # S2 Art 6–7: no source of living = own income (its own exclusions) below the 低保 standard.
        tk_ok = C("tk_target") & (C("inc_tk") < std)
        for t, cond in tier.items():
            cols.append((tk_ok & cond).cast(i64).alias(f"tk_{t}_{area}"))
    return m.select("hh_id", *cols)


AGG_COLUMNS = ["n", "n_excluded", "gross", "excl_income", "emp_ded", "rigid_ded", "able_member", "tk_target_n",
               *[f"{p}_{a}" for a in "ur" for p in ("single_n", "single_amt", "tk_complete", "tk_partial",
                                                    "tk_able")]]

# Per-household sums of members grouped contiguously: cumulative sums read at each group's last row, then
# differenced. Linear and hash-free — several times faster than a hash group-by at millions of rows.
_LAST = (C("hh_id") != C("hh_id").shift(-1)).fill_null(True)
_CUM = [C(c).cum_sum() for c in AGG_COLUMNS]
_DIFF = [(C(c) - C(c).shift(1, fill_value=0)).cast(pl.Int64) for c in AGG_COLUMNS]

SMALL = 64  # households: below this, query optimisation costs more than it saves
CHUNK_HOUSEHOLDS = 100_000  # households per pass: bounds the intermediates (memory), not the speed


def _collect(lf: pl.LazyFrame, small: bool) -> pl.DataFrame:
    # The in-memory engine: for a chunk of 100 000 households it is as fast as the streaming engine (the default
    # in Polars 2) and keeps less memory; for a handful of rows the streaming engine's fixed cost per
    # non-elementwise expression (~0.1 ms per shift) dominates the single-household latency, and so does query
    # optimisation (skipped for small frames).
    if small:
        return lf.collect(engine="in-memory", optimizations=pl.QueryOptFlags.none())
    return lf.collect(engine="in-memory")


def _group_sums(per_member: pl.LazyFrame, small: bool) -> pl.DataFrame:
    return _collect(per_member.select("hh_id", *_CUM, _last=_LAST).filter("_last").select("hh_id", *_DIFF), small)


class Pipeline:
    """A sequence of ``with_columns``/``select`` steps recorded once and replayed on any frame. The rules are
    plain Polars expressions; building them takes milliseconds of Python, so they are built once per
    (policy version, date) — see ``plan_for`` — and reused for one household or a million."""

    __slots__ = ("steps",)

    def __init__(self) -> None:
        self.steps: list[tuple[str, tuple, dict]] = []

    def with_columns(self, *exprs: Any, **named: Any) -> Pipeline:
        self.steps.append(("with_columns", exprs, named))
        return self

    def select(self, *exprs: Any, **named: Any) -> Pipeline:
        self.steps.append(("select", exprs, named))
        return self

    def apply(self, lf: pl.LazyFrame) -> pl.LazyFrame:
        for method, exprs, named in self.steps:
            lf = getattr(lf, method)(*exprs, **named)
        return lf

    def apply_row(self, row: dict[str, Any]) -> dict[str, Any]:
        """The same steps on one row (a dict), for a pipeline built with ``rowexpr``."""
        for method, exprs, named in self.steps:
            new: dict[str, Any] = {}
            for item in (y for x in exprs for y in (x if isinstance(x, list) else [x])):
                if isinstance(item, str):
                    new[item] = row[item]
                else:
                    new[item.name] = item.fn(row)
            for k, e in named.items():
                new[k] = e.fn(row)
            row = {**row, **new} if method == "with_columns" else new
        return row


@dataclass(frozen=True)
class Rules:
    """The rules built with one expression namespace ``ex``: ``polars`` (batches) or ``rowexpr`` (one household)."""

    members: Pipeline  # member rows → per-member contributions (``hh_id`` + AGG_COLUMNS)
    supporter_able: Any  # per supporter row (with its household's ``is_urban``): able to support (S2 Art 8)
    programs: Pipeline  # household rows + member sums + ``able_supporters`` → OUTPUT_COLUMNS
    covered: dict[str, Any]  # per member row (with its household's results): ``dibao_members``, ``tekun_members``

    @classmethod
    def build(cls, ex: Any, s: Scalars, as_of: dt.date) -> Rules:
        C = ex.col
        prefix = Pipeline().with_columns([C(c).fill_null(0) for c in [*AGG_COLUMNS, "able_supporters"]]).with_columns(
            able_member=C("able_member") > 0)
        return cls(_member_aggregates(ex, Pipeline(), s, as_of), _supporter_able(ex, s),
                   _programs(ex, prefix, s, as_of), _covered(ex))


@dataclass(frozen=True)
class Plan:
    """Everything the engine derives from (params, date) before it sees data: the rules, written once, built as a
    Polars plan (``batch``) and as Python functions of one row (``row``, see ``rowexpr``)."""

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


def _supporter_able(ex: Any, s: Scalars) -> pl.Expr:
    C = ex.col  # polars.col or rowexpr.col
    disp = ex.when(C("is_urban")).then(ex.lit(s.disp_u)).otherwise(ex.lit(s.disp_r))
    below = (C("income_12m") < disp).fill_null(False)
    po = C("property_ok")
    # S2 Art 8: an obliged person is unable to support if any of these holds.
    unable = (C("is_tekun") | (C("is_dibao") & (C("age") >= s.sup_dibao_age))
              | ((C("age") >= s.sup_elderly_age) & below & po)
              | (C("severe_disability") & below & po)
              | ((C("no_civil_capacity") | C("missing") | C("imprisoned")) & po))
    return ~unable


_SUPPORTER_CAST = {k: v for k, v in SUPPORTER_SCHEMA.items() if k != "hh_id"}


def _supporter_aggregates(sup: pl.LazyFrame, hh: pl.LazyFrame, plan: Plan) -> pl.LazyFrame:
    j = sup.join(hh.select("hh_id", "is_urban"), on="hh_id", how="inner")
    return j.group_by("hh_id").agg(plan.batch.supporter_able.sum().cast(pl.Int64).alias("able_supporters"))


def _household_cast(hh: pl.DataFrame) -> dict[str, pl.DataType]:
    """Inputs may be narrower (Int32/Int8, Enum); the rules compute in the documented types (Int64 fen), one
    chunk at a time, so a narrow input never overflows (e.g. ``rigid_12m × 10 000``)."""
    schema = hh.schema
    return {k: v for k, v in HOUSEHOLD_SCHEMA.items() if k != "hh_id" and k in schema and schema[k] != v}


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

    ``with_members=True`` adds ``dibao_members`` and ``tekun_members``: the positions (0-based, in input order) of
    the household's members covered by 低保 and of its 特困 persons."""
    plan = plan_for(params, as_of)
    hh = households.collect() if isinstance(households, pl.LazyFrame) else households
    mem = members.collect() if isinstance(members, pl.LazyFrame) else members
    if isinstance(supporters, pl.LazyFrame):
        supporters = supporters.collect()
    sup = supporters if supporters is not None and supporters.height else None
    cuts = _household_cuts(hh, mem)
    if cuts is None:  # members not grouped in the households' order: one pass (sorted, then joined)
        cuts = [(0, hh.height, 0, mem.height)]
    parts = [_evaluate_chunk(hh.slice(a, na), mem.slice(m, nm), sup, plan, with_members) for a, na, m, nm in cuts]
    return parts[0] if len(parts) == 1 else pl.concat(parts, rechunk=False)


def _evaluate_chunk(hh: pl.DataFrame, mem: pl.DataFrame, sup: pl.DataFrame | None, plan: Plan,
                    with_members: bool) -> pl.DataFrame:
    small = hh.height <= SMALL
    per_member = plan.batch.members.apply(mem.lazy())
    if with_members:  # the per-member flags are needed twice: materialise once
        per_member = _collect(per_member, small).lazy()
    sums = _group_sums(per_member, small)
    if sums.height == hh.height and sums["hh_id"].equals(hh["hh_id"]):
        f = pl.concat([hh, sums.drop("hh_id")], how="horizontal").lazy()
    else:  # general path: members in any order, households possibly without members
        sums = _group_sums(per_member.sort("hh_id", maintain_order=True), small)
        f = hh.lazy().join(sums.lazy(), on="hh_id", how="left", maintain_order="left")
    del sums
    cast = _household_cast(hh)
    if cast:
        f = f.cast(cast)
    if sup is not None:
        sup_lf = sup.lazy().cast(_SUPPORTER_CAST)
        f = f.join(_supporter_aggregates(sup_lf, hh.lazy(), plan), on="hh_id", how="left", maintain_order="left")
    else:
        f = f.with_columns(able_supporters=pl.lit(0, pl.Int64))
    out = _collect(plan.batch.programs.apply(f), small)
    return _with_member_lists(out, per_member, plan.batch.covered, small) if with_members else out


def _covered(ex: Any) -> dict[str, Any]:
    """Who is covered, per member row carrying its household's results: 低保 — every counted member (按户施保) or the
    qualifying members (单人户); 特困 — the members meeting the three conditions, when the household qualifies."""
    C = ex.col

    def area(u: Any, r: Any) -> Any:
        return ex.when(C("is_urban")).then(u).otherwise(r)

    tk = {a: C(f"tk_complete_{a}") + C(f"tk_partial_{a}") + C(f"tk_able_{a}") > 0 for a in "ur"}
    return {
        "dibao_members": (C("dibao_whole") & (C("n") > 0))
        | (C("dibao_single") & area(C("single_n_u") > 0, C("single_n_r") > 0)),
        "tekun_members": C("tekun_eligible") & area(tk["u"], tk["r"]),
    }


_MEMBER_FLAG_COLUMNS = ["n", *[f"{p}_{a}" for a in "ur" for p in ("single_n", "tk_complete", "tk_partial", "tk_able")]]
_HOUSEHOLD_FLAG_COLUMNS = ["is_urban", "dibao_whole", "dibao_single", "tekun_eligible"]


def _with_member_lists(out: pl.DataFrame, per_member: pl.LazyFrame, covered: dict[str, pl.Expr],
                       small: bool) -> pl.DataFrame:
    """The covered members' positions (0-based, within the household, in input order) from the per-member flags
    the sums came from."""
    flags = per_member.select("hh_id", *_MEMBER_FLAG_COLUMNS).join(
        out.lazy().select("hh_id", *_HOUSEHOLD_FLAG_COLUMNS), on="hh_id", maintain_order="left")
    pos = pl.int_range(pl.len(), dtype=pl.UInt32)  # within the group: the member's position in the household
    lists = flags.group_by("hh_id", maintain_order=True).agg(pos.filter(e).alias(k) for k, e in covered.items())
    return _collect(out.lazy().join(lists, on="hh_id", how="left", maintain_order="left"), small)


def evaluate_rows(households: list[dict[str, Any]], members: list[list[dict[str, Any]]],
                  supporters: list[list[dict[str, Any]]], params: Params, as_of: dt.date) -> list[dict[str, Any]]:
    """The same rules on a few households as plain rows (no Polars): per household its row (HOUSEHOLD_SCHEMA keys),
    its members' rows in input order and its supporters' rows. Returns what ``evaluate_batch(...,
    with_members=True).to_dicts()`` returns — proven equal in tests/rules/test_row_engine.py."""
    rules = plan_for(params, as_of).row
    able = rules.supporter_able.fn
    out = []
    for h, mems, sups in zip(households, members, supporters, strict=True):
        per_member = [rules.members.apply_row(m) for m in mems]
        row = dict(h)
        for c in AGG_COLUMNS:  # the per-household sums (the batch: cumulative sums read at household ends)
            row[c] = sum(v for pm in per_member if (v := pm[c]) is not None)
        row["able_supporters"] = sum(able({**sp, "is_urban": h["is_urban"]}) is True for sp in sups)
        res = rules.programs.apply_row(row)
        hh_flags = {k: res[k] for k in _HOUSEHOLD_FLAG_COLUMNS}
        for name, e in rules.covered.items():
            res[name] = [i for i, pm in enumerate(per_member) if e.fn({**pm, **hh_flags}) is True]
        out.append(res)
    return out


def _pick(ex: Any, urban: pl.Expr | int | None, rural: pl.Expr | int | None) -> pl.Expr:
    C = ex.col  # polars.col or rowexpr.col
    def lit(x):
        return ex.lit(x, pl.Int64) if x is None or isinstance(x, int) else x

    return ex.when(C("is_urban")).then(lit(urban)).otherwise(lit(rural))


def _programs(ex: Any, f: Pipeline, s: Scalars, as_of: dt.date) -> Pipeline:
    C = ex.col  # polars.col or rowexpr.col
    std = _pick(ex, s.su, s.sr)
    n = C("n")
    n1 = ex.max_horizontal(n, ex.lit(1))
    # ---- property (S1 Art 14; thresholds are local → profile)
    fin_ok = (C("fin_assets") <= n1 * C("std") * s.fin_months) if s.fin_months is not None else ex.lit(True)
    veh_ok = C("vehicles") <= s.max_veh if s.max_veh is not None else ex.lit(True)
    if s.max_veh_value is not None:
        veh_ok = veh_ok & (C("vehicle_value") <= s.max_veh_value)
    re_ok = C("extra_real_estate") <= s.max_re if s.max_re is not None else ex.lit(True)
    biz_ok = C("business_regs") <= s.max_biz if s.max_biz is not None else ex.lit(True)
    f = f.with_columns(std=std).with_columns(
        fin_ok=fin_ok, veh_ok=veh_ok, re_ok=re_ok, biz_ok=biz_ok,
        countable=ex.max_horizontal(C("gross") - C("emp_ded") - C("rigid_ded"), ex.lit(0)),
        threshold=n * C("std"),
    ).with_columns(
        property_ok=C("fin_ok") & C("veh_ok") & C("re_ok") & C("biz_ok"),
        # displayed per-capita income, half up to the fen
        per_capita_income=(2 * C("countable") + n1) // (2 * n1),
    )
    # ---- 低保: strictly below the standard (S3 Art 9: 低于); exactly at the standard is not below it.
    below = (n > 0) & (C("countable") < C("threshold")) & ex.lit(s.has_std)
    if s.method == "tiers" and s.tiers:
        amt = ex.lit(0, pl.Int64)
        for below_bp, pay_bp in reversed(s.tiers):
            amt = ex.when(C("countable") * BP < C("threshold") * below_bp).then(
                _mul_bp(C("threshold"), pay_bp)).otherwise(amt)
    else:
        amt = C("threshold") - C("countable")
    # 低保边缘: not eligible for 低保, per-capita income below margin.multiple × the standard (1.5 nationally) and
    # property within the rules (S1 Art 8 ¶2; S5 §1(4); S7 §2).
    margin_bp = s.margin_bp if s.margin_bp is not None else 0
    f = f.with_columns(dibao_whole=below & C("property_ok"), hh_amt=amt).with_columns(
        margin=~C("dibao_whole") & (n > 0) & ex.lit(s.has_std) & C("property_ok")
        & (C("countable") * BP < C("threshold") * margin_bp),
        single_n=_pick(ex, C("single_n_u"), C("single_n_r")),
        single_amt=_pick(ex, C("single_amt_u"), C("single_amt_r")),
    ).with_columns(
        # 单人户 (S1 Art 8; [000] 三(二)1; [002] 二(一)): only for a margin household's severely disabled/ill members.
        dibao_single=C("margin") & ex.lit(s.single) & (C("single_n") > 0),
    ).with_columns(
        dibao_eligible=C("dibao_whole") | C("dibao_single"),
        dibao_persons=ex.when(C("dibao_whole")).then(n).when(C("dibao_single")).then(C("single_n")).otherwise(0),
        dibao_amount=round_yuan(ex.when(C("dibao_whole")).then(C("hh_amt"))
                                .when(C("dibao_single")).then(C("single_amt")).otherwise(0)),
    )
    # ---- 特困 (S2 Art 4–8)
    tkc, tkp, tka = (_pick(ex, C(f"tk_{t}_u"), C(f"tk_{t}_r")) for t in ("complete", "partial", "able"))
    f = f.with_columns(tk_c=tkc, tk_p=tkp, tk_a=tka).with_columns(tk_n=C("tk_c") + C("tk_p") + C("tk_a"))
    # A co-resident member of working age who can work is treated as an able supporter (S2 Art 4(3)); supporters
    # living elsewhere come from the `supporters` list and are tested under S2 Art 8.
    tk_ok = (C("tk_n") > 0) & C("property_ok") & (C("able_supporters") == 0) & ~C("able_member") & ex.lit(s.has_std)
    f = f.with_columns(tekun_eligible=tk_ok).with_columns(
        tekun_persons=ex.when(tk_ok).then(C("tk_n")).otherwise(0),
        tekun_basic=ex.when(tk_ok).then(C("tk_n") * _pick(ex, s.tk_basic["u"], s.tk_basic["r"])).otherwise(0),
        tekun_care=ex.when(tk_ok).then(C("tk_c") * s.tk_care["complete"] + C("tk_p") * s.tk_care["partial"]
                                       + C("tk_a") * s.tk_care["able"]).otherwise(0),
    )
    # ---- 刚性支出困难 (S8 Art 4, in force 2025-01-01 → only when the profile has a ratio on this date)
    disp = _pick(ex, s.disp_u, s.disp_r)
    inc12 = ex.coalesce(C("income_12m"), C("countable") * 12)
    rigid_in_force = s.rigid_bp is not None and s.disp_u is not None and s.disp_r is not None
    other_prog = C("dibao_eligible") | C("tekun_eligible") | C("margin")
    rigid_income_ok = inc12 < n1 * disp if rigid_in_force else ex.lit(False)
    rigid_ratio_ok = (C("rigid_12m") * BP > inc12 * (s.rigid_bp or 0)) if rigid_in_force else ex.lit(False)
    f = f.with_columns(
        rigid_income_ok=rigid_income_ok, rigid_ratio_ok=rigid_ratio_ok,
    ).with_columns(
        rigid_difficulty=ex.lit(rigid_in_force) & ~other_prog & (n > 0) & C("property_ok")
        & C("rigid_income_ok") & C("rigid_ratio_ok"),
    ).with_columns(rigid_valid_months=ex.when(C("rigid_difficulty")).then(ex.lit(s.rigid_valid, pl.Int64)))
    # ---- 渐退 (S1 Art 33; [000] 三(三)4; [002] 二(一); [003])
    reason = C("rise_reason")
    leaving = C("on_dibao") & ~C("dibao_eligible")
    excl = reason.is_in(s.grace_excluded).fill_null(False) if s.grace_excluded else ex.lit(False)
    months = ex.lit(s.grace_months, pl.Int64)
    if s.grace_rp is not None:
        months = ex.when(C("registered_poor")).then(ex.lit(s.grace_rp, pl.Int64)).otherwise(months)
    grace_ok = leaving & (reason == "employment").fill_null(False) & ~excl
    f = f.with_columns(grace_months=ex.when(grace_ok).then(months).otherwise(0)).with_columns(
        grace_amount=ex.when(C("grace_months") > 0).then(C("current_amount")).otherwise(0),
        grace_last_month=_grace_last_month(ex, s, as_of),
        grace_excluded=leaving & excl,
    )
    f = _temporary(ex, f, s)
    f = _medical(ex, f, s)
    # Review cycle: 特困 and stable 低保 yearly, unstable income or members able to work half-yearly
    # (S1 Art 31; S4 item 7; [000] 三(二)4).
    review = ex.when(C("tekun_eligible")).then(ex.lit(s.review["tekun"], pl.Int64))
    review = review.when(C("dibao_eligible") & (C("income_irregular") | C("able_member"))).then(
        ex.lit(s.review["unstable"], pl.Int64))
    review = review.when(C("dibao_eligible")).then(ex.lit(s.review["stable"], pl.Int64))
    f = f.with_columns(review_months=review)
    f = f.with_columns(rules_mask=_rules_mask(ex, s), reasons_mask=_reasons_mask(ex, s, rigid_in_force))
    return f.select(OUTPUT_COLUMNS)


def _grace_last_month(ex: Any, s: Scalars, as_of: dt.date) -> pl.Expr:
    C = ex.col  # polars.col or rowexpr.col
    # Paid through the grace months counted from the month of the decision (examples.md 4: March + 6 → August).
    out = ex.lit(None, pl.String)
    for mths in {s.grace_months, s.grace_rp or 0}:
        if mths > 0:
            out = ex.when(C("grace_months") == mths).then(ex.lit(_add_months(as_of, mths - 1))).otherwise(out)
    return out


def _temporary(ex: Any, f: Pipeline, s: Scalars) -> Pipeline:
    C = ex.col  # polars.col or rowexpr.col
    has = C("temp_type").is_not_null()
    n1 = ex.max_horizontal(C("n"), ex.lit(1))
    disp = _pick(ex, s.disp_u, s.disp_r)
    # S6 §2(1): expenditure type requires per-capita income below last year's per-capita disposable income.
    income_ok = (C("countable") * 12 < n1 * disp) if s.disp_u is not None and s.disp_r is not None else ex.lit(False)
    persons = ex.coalesce(C("temp_persons"), n1)

    # most specific band first: exact type+cause, type only, cause only, catch-all
    def spec(b):
        return (b["type"] != "any") * 2 + (b["cause"] != "any")

    tmin = tmax = ex.lit(None, pl.Int64)
    for b in sorted(s.bands, key=spec):  # least specific first, so the most specific wins (applied last)
        cond = has
        if b["type"] != "any":
            cond = cond & (C("temp_type") == b["type"])
        if b["cause"] != "any":
            cond = cond & (C("temp_cause") == b["cause"])
        base = ex.lit(s.su, pl.Int64) if b["base"] == "urban_standard" else C("std")
        mult = persons if b["per_person"] else ex.lit(1, pl.Int64)
        tmin = ex.when(cond).then(round_yuan(_mul_bp(base * mult, b["min_multiple"]))).otherwise(tmin)
        tmax = ex.when(cond).then(round_yuan(_mul_bp(base * mult, b["max_multiple"]))).otherwise(tmax)
    f = f.with_columns(
        temp_income_ok=income_ok,
        temp_min=tmin,
        temp_max=tmax,
    ).with_columns(
        temp_eligible=has & ((C("temp_type") == "emergency") | C("temp_income_ok")),
    ).with_columns(
        temp_case_conference=C("temp_eligible") & (
            C("temp_max").is_null() | (C("temp_requested").is_not_null() & (C("temp_requested") > C("temp_max")))),
        temp_amount=ex.when(C("temp_eligible") & C("temp_max").is_not_null()).then(
            round_yuan(ex.when(C("temp_requested").is_not_null())
                       .then(ex.min_horizontal(C("temp_requested"), C("temp_max"))).otherwise(C("temp_max")))),
    )
    limit = s.township_limit
    approval = ex.when(~C("temp_eligible")).then(ex.lit(None, pl.String)).when(C("temp_case_conference")).then(
        ex.lit("county_case_conference"))
    if limit is not None:
        approval = approval.when(C("temp_amount") <= limit).then(ex.lit("township"))
    approval = approval.otherwise(ex.lit("county"))
    return f.with_columns(
        temp_approval=approval,
        temp_pay_within_hours=ex.when(C("temp_eligible") & (C("temp_type") == "emergency")).then(
            ex.lit(s.emergency_hours, pl.Int64)),
    )


def _medical(ex: Any, f: Pipeline, s: Scalars) -> Pipeline:
    C = ex.col  # polars.col or rowexpr.col
    cat = (ex.when(C("tekun_eligible")).then(ex.lit("tekun")).when(C("dibao_eligible")).then(ex.lit("dibao"))
           .when(C("margin")).then(ex.lit("margin")).otherwise(ex.lit(None, pl.String)))
    f = f.with_columns(medical_category=cat)
    cols = {}
    for kind, oop, ytd, out in (
        ("outpatient_chronic", "med_outpatient_oop", "med_ytd_outpatient", "medical_outpatient"),
        ("inpatient", "med_inpatient_oop", "med_ytd_inpatient", "medical_inpatient"),
    ):
        e = ex.lit(0, pl.Int64)
        for c in ("margin", "dibao", "tekun"):
            rate, cap = s.med[(kind, c)]
            if rate is None:
                continue
            raw = round_yuan(_mul_bp(C(oop), rate))
            if cap is not None:
                raw = ex.min_horizontal(raw, ex.max_horizontal(ex.lit(cap) - C(ytd), ex.lit(0)))
            e = ex.when(C("medical_category") == c).then(raw).otherwise(e)
        cols[out] = e
        # whether the annual cap limited this payment
        e2 = ex.lit(False)
        for c in ("margin", "dibao", "tekun"):
            rate, cap = s.med[(kind, c)]
            if rate is None or cap is None:
                continue
            e2 = ex.when(C("medical_category") == c).then(
                round_yuan(_mul_bp(C(oop), rate)) > ex.max_horizontal(ex.lit(cap) - C(ytd), ex.lit(0))).otherwise(e2)
        cols[f"{out}_capped"] = e2
    return f.with_columns(**cols)


def _rules_mask(ex: Any, s: Scalars) -> pl.Expr:
    C = ex.col  # polars.col or rowexpr.col
    R = RULE_BIT
    return _bits(ex, [
        (C("n_excluded") > 0, R["HH_MEMBER_EXCLUDED"]),
        (C("excl_income") > 0, R["INCOME_KIND_EXCLUDED"]),
        (C("emp_ded") > 0, R["EMPLOYMENT_COST_DEDUCTED"]),
        (C("rigid_ded") > 0, R["RIGID_EXPENSE_DEDUCTED"]),
        (C("dibao_whole"), R["DIBAO_WHOLE_HOUSEHOLD"]),
        (C("dibao_whole") & ex.lit(not (s.method == "tiers" and s.tiers)), R["DIBAO_GAP"]),
        (C("dibao_whole") & ex.lit(s.method == "tiers" and bool(s.tiers)), R["DIBAO_TIERS"]),
        (C("dibao_single"), R["DIBAO_SINGLE_PERSON"]),
        (C("margin"), R["MARGIN"]),
        (C("rigid_difficulty"), R["RIGID_DIFFICULTY"]),
        (C("tekun_eligible"), R["TEKUN"]),
        (C("tekun_care") > 0, R["TEKUN_CARE"]),
        (C("grace_months") > 0, R["GRACE"]),
        (C("grace_excluded"), R["GRACE_EXCLUDED"]),
        (C("temp_eligible") & (C("temp_type") == "emergency"), R["TEMP_EMERGENCY"]),
        (C("temp_eligible") & (C("temp_type") == "expenditure"), R["TEMP_EXPENDITURE"]),
        (C("temp_case_conference"), R["TEMP_CASE_CONFERENCE"]),
        (C("medical_outpatient") > 0, R["MEDICAL_OUTPATIENT"]),
        (C("medical_inpatient") > 0, R["MEDICAL_INPATIENT"]),
        (C("medical_outpatient_capped") | C("medical_inpatient_capped"), R["MEDICAL_CAP_REACHED"]),
        (C("dibao_eligible") & ~C("tekun_eligible") & (C("income_irregular") | C("able_member")),
         R["REVIEW_UNSTABLE"]),
    ])


def _reasons_mask(ex: Any, s: Scalars, rigid_in_force: bool) -> pl.Expr:
    C = ex.col  # polars.col or rowexpr.col
    R = REASON_BIT
    not_db = ~C("dibao_eligible")
    leaving = C("on_dibao") & not_db
    return _bits(ex, [
        (C("n") == 0, R["NO_COUNTED_MEMBER"]),
        (ex.lit(not s.has_std), R["NO_STANDARD"]),
        (not_db & (C("countable") >= C("threshold")) & (C("n") > 0), R["INCOME_NOT_BELOW_STANDARD"]),
        (~C("fin_ok"), R["PROPERTY_FINANCIAL"]),
        (~C("veh_ok"), R["PROPERTY_VEHICLE"]),
        (~C("re_ok"), R["PROPERTY_REAL_ESTATE"]),
        (~C("biz_ok"), R["PROPERTY_BUSINESS"]),
        (not_db & ~C("margin") & C("property_ok") & (C("n") > 0), R["NOT_MARGIN"]),
        (C("tk_target_n") == 0, R["TEKUN_NO_TARGET"]),
        ((C("tk_target_n") > 0) & (C("tk_n") == 0), R["TEKUN_HAS_INCOME"]),
        ((C("tk_n") > 0) & ((C("able_supporters") > 0) | C("able_member")), R["TEKUN_ABLE_SUPPORTER"]),
        (ex.lit(not rigid_in_force), R["RIGID_NOT_IN_FORCE"]),
        (ex.lit(rigid_in_force) & ~C("rigid_income_ok"), R["RIGID_INCOME_TOO_HIGH"]),
        (ex.lit(rigid_in_force) & ~C("rigid_ratio_ok"), R["RIGID_RATIO_NOT_EXCEEDED"]),
        (ex.lit(rigid_in_force) & (C("dibao_eligible") | C("tekun_eligible") | C("margin")), R["RIGID_OTHER_PROGRAM"]),
        ((C("temp_type") == "expenditure").fill_null(False) & ~C("temp_income_ok"), R["TEMP_INCOME_TOO_HIGH"]),
        (C("temp_type").is_not_null() & C("temp_max").is_null(), R["TEMP_NO_BAND"]),
        (leaving & C("rise_reason").is_not_null() & (C("rise_reason") != "employment") & ~C("grace_excluded"),
         R["GRACE_NOT_EMPLOYMENT"]),
    ])


OUTPUT_COLUMNS = [
    "hh_id", "is_urban", "n", "n_excluded", "gross", "excl_income", "emp_ded", "rigid_ded", "countable",
    "per_capita_income", "std", "threshold", "property_ok",
    "dibao_eligible", "dibao_whole", "dibao_single", "dibao_persons", "dibao_amount",
    "margin", "rigid_difficulty", "rigid_valid_months",
    "tekun_eligible", "tekun_persons", "tk_c", "tk_p", "tk_a", "tekun_basic", "tekun_care",
    "grace_months", "grace_amount", "grace_last_month", "grace_excluded",
    "temp_type", "temp_cause", "temp_eligible", "temp_min", "temp_max", "temp_amount", "temp_case_conference",
    "temp_approval", "temp_pay_within_hours",
    "medical_category", "medical_outpatient", "medical_inpatient",
    "review_months", "rules_mask", "reasons_mask",
]
