"""Per-person rules: who counts, age, ability to work, care tier, the 特困 conditions and which basic-living program
covers each person. Written against the expression namespace ``ex`` (see ``engine``), in three stages:

1. ``facts`` — what depends on the person alone (and the date): counting (S1 Art 7), income kinds, ability to
   work (S2 Art 5), the 特困 target group, the care tier (S2 Art 22), and the pieces of the supporter test
   (S2 Art 8) as bit masks the household sums.
2. ``decide`` — with the household's ``property_ok`` and the masks of its able supporters: each person's 特困
   outcome (S2 Art 4) and the 低保 unit of the others (one basic-living program per person).
3. ``persons`` — with the household's decisions: the per-person output (program, amount share, medical category).

Member rows carry their household's ``is_urban`` and ``on_dibao`` from the start. Money is integer fen (Int64);
codes are small integers until the per-person output (strings cost several times more over millions of rows).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from doudi.rules.amounts import dibao_amount
from doudi.rules.codes import NOT_COUNTED_CODES
from doudi.rules.exprs import pick, round_yuan, total, years_before
from doudi.rules.kinds import (
    ADULT_AGE,
    COUNTED_STUDENT_LEVELS,
    EARNED_KINDS,
    SPOUSE_OR_HEAD,
    TEKUN_SCHOOL_LEVELS,
)
from doudi.rules.pipeline import Pipeline
from doudi.rules.scalars import Scalars

# Stage-1 columns summed per household (the batch: cumulative sums read at household ends). Per-household counts
# are packed six bits each into one integer (``c1``/``c2``: a household has at most 62 members), so a million
# households cost one cumulative sum for all the counts instead of one each; ``unpack`` reads them back.
FACT_COUNTS = ["n", "n_excluded", "tk_target_n", "n_income_12m"]
FACT_SUMS = ["c1", "gross", "excl_income", "emp_ded", "rigid_ded", "m_able", "m_prop", "income_12m_members",
             "rigid_12m_members"]
# Stage-2 columns summed per household.
DECIDE_COUNTS = ["n_db", "able_db", "single_n", "tk_c", "tk_p", "tk_a", "tk_income_ok_n", "tk_sup_blocked_n"]
DECIDE_SUMS = ["c2", "gross_db", "emp_db", "rigid_db", "single_amt"]
PACK = 64


def pack(ex: Any, flags: list[Any]) -> Any:
    return ex.sum_horizontal([f.cast(pl.Int64) * PACK ** k for k, f in enumerate(flags)])


def unpack(ex: Any, packed: str, names: list[str]) -> dict[str, Any]:
    # the field's bits, then one division (packed sums are never negative): half the cost of // then %
    return {n: (ex.col(packed) & ((PACK - 1) * PACK ** k)) // PACK ** k for k, n in enumerate(names)}


def _age(ex: Any, as_of: dt.date) -> Any:
    """Full years on ``as_of``: the year difference, less one when the birthday (month, day) is still to come."""
    b = ex.col("birth_date")
    md = as_of.month * 100 + as_of.day
    return (as_of.year - b.dt.year().cast(pl.Int64)
            - ((b.dt.month().cast(pl.Int64) * 100 + b.dt.day().cast(pl.Int64)) > md).cast(pl.Int64))


AGE_TABLE_YEARS = (150, 1)  # the age table covers birth dates from 150 years before to 1 year after the date


def age_table_days(as_of: dt.date) -> tuple[int, int]:
    """The birth dates ``_age_table`` covers, as days since 1970-01-01 (Polars' Date), first and last."""
    lo = dt.date(as_of.year - AGE_TABLE_YEARS[0], 1, 1)
    hi = dt.date(as_of.year + AGE_TABLE_YEARS[1], 12, 31)
    epoch = dt.date(1970, 1, 1)
    return (lo - epoch).days, (hi - epoch).days


def _age_table(as_of: dt.date) -> pl.Expr:
    """``_age`` read from a table of every birth date in ``age_table_days`` (Polars only). The table is ``_age``
    itself evaluated once per plan on those ~55 000 dates, so a date in the range gets exactly ``_age`` (a null
    date gets null); one gather per member instead of taking millions of dates apart into year, month and day
    (~20 × cheaper). The engine uses it only when every birth date of the chunk is in the range
    (``engine._age_table_fits``); tests/rules/test_engine.py compares both on every date of the range."""
    lo, hi = age_table_days(as_of)
    days = pl.select(birth_date=pl.int_range(lo, hi + 1, dtype=pl.Int32).cast(pl.Date))
    table = days.select(_age(pl, as_of)).to_series()
    return pl.lit(table).gather(pl.col("birth_date").to_physical() - lo)


def _not_counted(ex: Any, as_of: dt.date) -> Any:
    """S1 Art 7: the first reason a member is not counted, as its position + 1 in ``codes.NOT_COUNTED`` (0 when
    counted; small integers are several times cheaper than strings over millions of member rows)."""
    C = ex.col  # polars.col or rowexpr.col
    clergy = (C("clergy_apart_since") <= years_before(as_of, 3)).fill_null(False)  # ≥ 3 years apart
    # Spouses and children count without long-term co-residence, adult children only when they cannot live
    # independently (incl. full-time students to bachelor level, S1 Art 7 (3)); anyone else only when co-resident.
    rel = C("relationship")
    child = (rel == "child").fill_null(False)
    dependent = (C("age") < ADULT_AGE) | C("dis_no_work") | (C("work_ability") == "none").fill_null(False) | (
        C("full_time_student") & C("school_level").is_in(list(COUNTED_STUDENT_LEVELS)).fill_null(False))
    kept = rel.is_in(list(SPOUSE_OR_HEAD)).fill_null(False) | (child & dependent)
    away = ~C("co_resident") & ~kept
    out = ex.lit(0, pl.Int8)
    for code, cond in reversed(list(zip(range(1, 7), (C("dead"), C("imprisoned"), C("compulsory_rehab"),
                                                      C("declared_missing"), clergy, away), strict=True))):
        out = ex.when(cond).then(ex.lit(code, pl.Int8)).otherwise(out)
    return out


def not_counted_code(ex: Any) -> Any:
    """The ``codes.NOT_COUNTED`` code of the row's ``nc`` (null when counted)."""
    out = ex.lit(None, pl.String)
    for i, code in enumerate(NOT_COUNTED_CODES, start=1):
        out = ex.when(ex.col("nc") == i).then(ex.lit(code)).otherwise(out)
    return out


def facts(ex: Any, s: Scalars, as_of: dt.date, *, age_table: bool = False) -> Any:
    """Stage 1: the per-member columns (a ``Pipeline``; see ``engine``). ``age_table``: the age by ``_age_table``
    (Polars only; birth dates within ``age_table_days``)."""

    C = ex.col
    dt_, dg = C("dis_type"), C("dis_grade")
    intel_mental = dt_.is_in(["intellectual", "mental"]).fill_null(False)
    # S1 Art 8 / [000] 三(二)1 / [002] 二(一): grade 1–2 of any type, grade-3 intellectual/mental (+ serious illness).
    severe_dis = dg.is_between(1, 2) | (intel_mental & (dg == 3))
    # S2 Art 5: no ability to work by disability.
    dis_no_work = ((intel_mental & dg.is_between(1, 3)) | ((dt_ == "physical") & dg.is_between(1, 2))
                   | ((dt_ == "visual") & (dg == 1))).fill_null(False)
    age = _age_table(as_of) if age_table else _age(ex, as_of)
    p = Pipeline().with_columns(age=age, dis_no_work=dis_no_work, severe_dis=severe_dis,
                                dead=(C("date_of_death") <= as_of).fill_null(False))
    p = p.with_columns(nc=_not_counted(ex, as_of))
    p = p.with_columns(
        counted=C("nc") == 0,
        inc_db=total(ex, s.inc_cols), inc_excl=total(ex, s.excl_cols), inc_tk=total(ex, s.tk_inc_cols),
        earned=total(ex, [f"inc_{k}" for k in EARNED_KINDS]), rigid=total(ex, s.rigid_kinds),
        severe=severe_dis | C("serious_illness"),
        able_work=_able_to_work(ex, s),
        tk_target=_tekun_target(ex, s),
        tier=_care_tier(ex),
    )
    # Necessary employment cost per employed member, never more than what that member earns (S1 Art 13).
    emp = ex.when(C("employed") & C("counted")).then(ex.min_horizontal(C("earned"), ex.lit(s.emp_cost))).otherwise(0)
    p = p.with_columns(emp_ded=emp).with_columns(own=ex.max_horizontal(C("inc_db") - C("emp_ded") - C("rigid"),
                                                                       ex.lit(0)))
    return p.with_columns(**_supporter_pieces(ex, s))


def _able_to_work(ex: Any, s: Scalars) -> Any:
    """S2 Art 5: of working age (profile ``labour.min_age`` ≤ age < ``labour.max_age``), no disability that removes
    the ability to work, not assessed as without work ability (partial loss as ``labour.partial_is_able`` says)."""
    C = ex.col
    if s.labour_min is None or s.labour_max is None:
        return ex.lit(False)
    level_ok = C("work_ability").is_in(s.able_levels).fill_null(True)
    return (C("age") >= s.labour_min) & (C("age") < s.labour_max) & ~C("dis_no_work") & level_ok & ~C("dead")


def _tekun_target(ex: Any, s: Scalars) -> Any:
    """S2 Art 4–5, 24: older people (the upper working-age bound), disabled people without work ability, minors
    to ``tekun.minor_age`` and (with ``tekun.school_extension``) older pupils in compulsory/senior-high/
    secondary-vocational school."""
    C = ex.col
    target = C("dis_no_work")
    if s.labour_max is not None:
        target = target | (C("age") >= s.labour_max)
    if s.minor_age is not None:
        target = target | (C("age") < s.minor_age)
    if s.school_ext:
        target = target | C("school_level").is_in(list(TEKUN_SCHOOL_LEVELS)).fill_null(False)
    return target


def _care_tier(ex: Any) -> Any:
    """S2 Art 22 as 0 able (all six activities), 1 partial (1–3 failed), 2 complete (≥ 4 failed)."""
    fc = ex.col("self_care_failed")
    i8 = pl.Int8
    return ex.when(fc >= 4).then(ex.lit(2, i8)).when(fc >= 1).then(ex.lit(1, i8)).otherwise(ex.lit(0, i8))


TIER_NAMES = ("able", "partial", "complete")


def _supporter_pieces(ex: Any, s: Scalars) -> dict[str, Any]:
    """S2 Art 8, on a member row carrying its household's ``is_urban`` and ``on_dibao``, as this member's bit in two
    masks the household sums: ``m_able`` (able to support unless the property test makes them unable: an adult,
    alive, not a 低保 recipient aged ``tekun.supporter_dibao_age``+) and ``m_prop`` (unable when the household's
    property is within the rules: themselves meeting the 特困 conditions, aged ``tekun.supporter_elderly_age``+ or
    severely disabled or of a work ability the profile lists with income below last year's per-capita disposable
    income, or without civil capacity / missing / imprisoned)."""
    C = ex.col
    bit = C("bit")
    zero = ex.lit(0, pl.Int64)
    able = (C("age") >= ADULT_AGE) & ~C("dead")
    if s.sup_dibao_age is not None:
        able = able & ~(C("on_dibao") & (C("age") >= s.sup_dibao_age))
    std = pick(ex, s.su, s.sr)
    below = (C("inc_db") * 12 < pick(ex, s.disp_u, s.disp_r)) if s.disp_u is not None and s.disp_r is not None \
        else ex.lit(False)
    unable = (C("tk_target") & (C("inc_tk") < std) & ex.lit(s.has_std)) | C("no_civil_capacity") \
        | C("declared_missing") | C("imprisoned") | (C("severe_dis") & below)
    if s.sup_elderly_age is not None:
        unable = unable | ((C("age") >= s.sup_elderly_age) & below)
    if s.sup_unable_work:
        unable = unable | (C("work_ability").is_in(s.sup_unable_work).fill_null(False) & below)
    return {"m_able": ex.when(able).then(bit).otherwise(zero), "m_prop": ex.when(unable).then(bit).otherwise(zero)}


def fact_sums(ex: Any) -> list[Any]:
    """Stage-1 contributions to the household sums (``FACT_SUMS``)."""
    C = ex.col
    return [
        pack(ex, [C("counted"), ~C("counted"), C("tk_target") & C("counted"),
                  C("counted") & C("m_income_12m").is_not_null()]).alias("c1"),  # FACT_COUNTS
        ex.when(C("counted")).then(C("inc_db")).otherwise(0).alias("gross"),  # money stays Int64
        ex.when(C("counted")).then(C("inc_excl")).otherwise(0).alias("excl_income"),
        C("emp_ded").alias("emp_ded"),
        ex.when(C("counted")).then(C("rigid")).otherwise(0).alias("rigid_ded"),
        C("m_able"), C("m_prop"),
        # 12-month totals of the counted members (刚性支出困难, S8 Art 4), when the input gives them per member
        ex.when(C("counted")).then(C("m_income_12m").fill_null(0)).otherwise(0).alias("income_12m_members"),
        ex.when(C("counted")).then(C("m_rigid_12m").fill_null(0)).otherwise(0).alias("rigid_12m_members"),
    ]


def decide(ex: Any, s: Scalars) -> Any:
    """Stage 2, on a member row carrying its household's ``is_urban``, ``property_ok``, ``able_mask`` (co-resident
    members able to support) and ``ext_able_mask`` (supporters elsewhere able to support)."""

    C = ex.col
    std = pick(ex, s.su, s.sr)
    has_sup = ((C("sup_mask") & C("able_mask")) != 0) | ((C("ext_mask") & C("ext_able_mask")) != 0)
    income_ok = _tekun_income_ok(ex, s)
    care = ex.when(C("tier") == 2).then(ex.lit(s.tk_care["complete"], pl.Int64)).when(
        C("tier") == 1).then(ex.lit(s.tk_care["partial"], pl.Int64)).otherwise(ex.lit(s.tk_care["able"], pl.Int64))
    p = Pipeline().with_columns(std_m=std, has_sup=has_sup, tk_income_ok=income_ok).with_columns(
        # 特困 (S2 Art 4): target group, own income below the standard with the household's property within the
        # rules (no source of living, Art 6–7), and no obliged supporter able to perform the duty (Art 8).
        tekun=C("tk_income_ok") & C("property_ok") & ~C("has_sup"),
    ).with_columns(
        # One basic-living program per person: a 特困 person is not also in the 低保 unit of the others.
        rest=C("counted") & ~C("tekun"),
        tk_basic=ex.when(C("tekun")).then(pick(ex, s.tk_basic["u"], s.tk_basic["r"])).otherwise(0),
        tk_care=ex.when(C("tekun")).then(care).otherwise(0),
    ).with_columns(single=_single(ex, s, C("rest"), C("std_m"))).with_columns(
        single_fen=_single_fen(ex, s, C("single"), C("std_m")))
    return p


def _tekun_income_ok(ex: Any, s: Scalars) -> Any:
    """S2 Art 4, 6–7: counted, in the 特困 target group, own income (its own exclusions) below the standard."""
    C = ex.col
    return C("counted") & C("tk_target") & (C("inc_tk") < pick(ex, s.su, s.sr)) & ex.lit(s.has_std)


def _single(ex: Any, s: Scalars, rest: Any, std: Any) -> Any:
    """单人户 candidate (S1 Art 8): a severely disabled or seriously ill member of the 低保 unit (``rest``) whose
    own income is below the standard; paid by the one 低保 formula for a household of one (``_single_fen``)."""
    C = ex.col
    return rest & C("severe") & (C("own") < std) & ex.lit(s.has_std)


def _single_fen(ex: Any, s: Scalars, single: Any, std: Any) -> Any:
    return ex.when(single).then(round_yuan(dibao_amount(ex, s, std, ex.lit(1, pl.Int64), ex.col("own")))).otherwise(0)


def decide_sums(ex: Any) -> list[Any]:
    """Stage-2 contributions to the household sums (``DECIDE_SUMS``)."""
    C = ex.col
    rest, tk = C("rest"), C("tekun")
    return [
        pack(ex, [rest, rest & C("able_work"), C("single"), tk & (C("tier") == 2), tk & (C("tier") == 1),
                  tk & (C("tier") == 0), C("tk_income_ok"), C("tk_income_ok") & C("property_ok") & C("has_sup")]
             ).alias("c2"),  # DECIDE_COUNTS
        ex.when(rest).then(C("inc_db")).otherwise(0).alias("gross_db"),
        ex.when(rest).then(C("emp_ded")).otherwise(0).alias("emp_db"),
        ex.when(rest).then(C("rigid")).otherwise(0).alias("rigid_db"),
        C("single_fen").alias("single_amt"),
    ]


# The batch (``engine``) does not run ``decide`` on every member: outside ``tekun_candidate`` a member's 特困
# outcome is false whatever the household's property and supporters (false & anything is false), so their stage-2
# contribution is known at stage 1 — ``base_sums`` (the stage-2 contributions with ``tekun`` false) or a stage-1
# sum that is the same expression (``DECIDE_BASE``). Stage 2 then runs on the candidates only, and adds, per
# household, what each candidate's real contribution differs from its base (``decide_deltas``).
DECIDE_BASE = {"c2": "c2b", "gross_db": "gross", "emp_db": "emp_ded", "rigid_db": "rigid_ded", "single_amt": "sab"}


def tekun_candidate(ex: Any, s: Scalars) -> Any:
    """The stage-1 rows whose 特困 outcome (``decide``'s ``tekun``) may be true or null: all others are false."""
    return _tekun_income_ok(ex, s).fill_null(True)


def base_sums(ex: Any, s: Scalars) -> list[Any]:
    """Stage-1 sums of the stage-2 contributions with ``tekun`` false (``rest`` = ``counted``): ``c2b`` (the packed
    counts of ``decide_sums``: the others are zero) and ``sab`` (``single_amt``)."""
    C = ex.col
    rest = C("counted")
    std = pick(ex, s.su, s.sr)
    single = _single(ex, s, rest, std)
    return [pack(ex, [rest, rest & C("able_work"), single]).alias("c2b"),
            _single_fen(ex, s, single, std).alias("sab")]


C2B_SHIFT = PACK ** len(FACT_COUNTS)  # the batch packs ``c2b`` into ``c1`` above FACT_COUNTS: c2b = c1 // C2B_SHIFT


def batch_fact_sums(ex: Any, s: Scalars) -> list[Any]:
    """The batch's stage-1 sums: ``fact_sums`` with ``base_sums``' ``c2b`` packed into ``c1`` (one cumulative sum
    fewer; ``unpack`` of FACT_COUNTS ignores the fields above them) and ``sab``."""
    c2b, sab = base_sums(ex, s)
    first, *rest = fact_sums(ex)
    return [(first + c2b * C2B_SHIFT).alias("c1"), *rest, sab]


def decide_deltas(ex: Any, s: Scalars) -> list[Any]:
    """Per decided member: its ``decide_sums`` contributions less its base (``DECIDE_BASE``), named as
    ``DECIDE_SUMS``; zero for a member whose ``tekun`` is false."""
    base = dict(zip([*FACT_SUMS, "c2b", "sab"], [*fact_sums(ex), *base_sums(ex, s)], strict=True))
    return [(e - base[DECIDE_BASE[n]]).alias(n) for n, e in zip(DECIDE_SUMS, decide_sums(ex), strict=True)]


PERSON_FIELDS = ["counted", "not_counted", "age", "able_to_work", "care_tier", "tekun_target", "tekun",
                 "tekun_reason", "has_able_supporter", "able_as_supporter", "program", "monthly_fen",
                 "countable_income_fen", "tekun_basic_fen", "tekun_care_fen", "medical_category"]


def persons(ex: Any, s: Scalars) -> dict[str, Any]:
    """Stage 3, on a stage-2 member row carrying its household's ``dibao_whole``, ``dibao_single`` and ``margin``:
    the per-person output (``PERSON_FIELDS``)."""
    C = ex.col
    program = (ex.when(C("tekun")).then(ex.lit("tekun"))
               .when(C("dibao_whole") & C("rest")).then(ex.lit("dibao"))
               .when(C("dibao_single") & C("single")).then(ex.lit("dibao_single"))
               .otherwise(ex.lit(None, pl.String)))
    reason = (ex.when(C("tekun")).then(ex.lit(None, pl.String))
              .when(~C("counted")).then(ex.lit("TEKUN_NOT_COUNTED"))
              .when(~C("tk_target")).then(ex.lit("TEKUN_NO_TARGET"))
              .when(ex.lit(not s.has_std)).then(ex.lit("NO_STANDARD"))
              .when(~C("tk_income_ok")).then(ex.lit("TEKUN_HAS_INCOME"))
              .when(~C("property_ok")).then(ex.lit("TEKUN_PROPERTY"))
              .otherwise(ex.lit("TEKUN_ABLE_SUPPORTER")))
    covered = C("tekun") | (C("dibao_whole") & C("rest")) | (C("dibao_single") & C("single"))
    category = (ex.when(C("tekun")).then(ex.lit("tekun")).when(covered).then(ex.lit("dibao"))
                .when(C("margin") & C("counted")).then(ex.lit("margin")).otherwise(ex.lit(None, pl.String)))
    return {
        "counted": C("counted"),
        "not_counted": not_counted_code(ex),
        "age": C("age"),
        "able_to_work": C("able_work"),
        "care_tier": ex.when(C("tier") == 2).then(ex.lit("complete")).when(C("tier") == 1).then(ex.lit("partial"))
        .otherwise(ex.lit("able")),
        "tekun_target": C("tk_target"),
        "tekun": C("tekun"),
        "tekun_reason": reason,
        "has_able_supporter": C("has_sup"),
        "able_as_supporter": (C("able_mask") & C("bit")) != 0,
        "program": program,
        # the law pays per person for 特困 (basic + care) and 单人户; a whole-household 低保 has no per-person share
        "monthly_fen": (ex.when(C("tekun")).then(C("tk_basic") + C("tk_care"))
                        .when(C("dibao_single") & C("single")).then(C("single_fen"))
                        .otherwise(ex.lit(None, pl.Int64))),
        "countable_income_fen": C("own"),  # own income after deductions (the 单人户 basis)
        "tekun_basic_fen": C("tk_basic"),
        "tekun_care_fen": C("tk_care"),
        "medical_category": category,
    }


__all__ = ["C2B_SHIFT", "DECIDE_BASE", "DECIDE_SUMS", "FACT_SUMS", "PERSON_FIELDS", "base_sums", "batch_fact_sums",
           "decide", "decide_deltas", "decide_sums", "fact_sums", "facts", "persons", "tekun_candidate"]
