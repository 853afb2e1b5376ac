"""Pure, vectorised monthly amounts (no ORM): one Polars pass over a chunk of entitlements for one month.

Rates come from the policy profile *as of the month paid*, so a new 低保 standard applies by its own effective
date without anyone touching the entitlements. Money is integer fen; rounding to the yuan is half up, once, at the
end (``(fen + 50) // 100 * 100``; Polars ``round`` is half-to-even and is never used).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from doudi.rules.engine import Scalars
from doudi.rules.params import BP, Params

C = pl.col

# Documented defaults when the profile has no value (docs/payroll.md). The keys are read with ``params.get`` so a
# profile that gains them (policy loader KEYS) takes over without a code change. All three are ILLUSTRATIVE.
DEFAULTS = {
    # Price linkage trigger (物价联动): CPI ≥ 3.5 % or food CPI ≥ 6 % year on year — illustrative, not in the seeds.
    "price_linkage.cpi_trigger": 350,  # basis points of a percent: 350 = 3.5 %
    "price_linkage.food_cpi_trigger": 600,
    # Government purchase of services ≤ 2 % of last year's central + regional subsidy funds ([000] 三(五)4).
    "funds.purchased_services_cap": 200,  # basis points of the total: 200 = 2 %
}


def setting(params: Params | None, key: str) -> int:
    value = params.get(key) if params is not None else None
    return DEFAULTS[key] if value is None else value


@dataclass(frozen=True)
class Rates:
    """What one month's payroll needs from the parameters of one profile and area."""

    standard_fen: int
    method: str
    tiers: tuple[tuple[int, int], ...]
    tekun_basic_fen: int
    care_fen: dict[str, int]
    version: str

    @classmethod
    def from_params(cls, params: Params, area: str) -> Rates:
        s = Scalars(params)
        key = "u" if area == "urban" else "r"
        return cls(
            standard_fen=s.su if area == "urban" else s.sr,
            method=s.method,
            tiers=tuple(s.tiers or ()),
            tekun_basic_fen=s.tk_basic[key],
            care_fen=dict(s.tk_care),
            version=params.version(),
        )


def round_yuan(x: pl.Expr) -> pl.Expr:
    return (x + 50) // 100 * 100


def month_end(month: dt.date) -> dt.date:
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def add_months(month: dt.date, n: int) -> dt.date:
    y, m = divmod(month.month - 1 + n, 12)
    return dt.date(month.year + y, m + 1, 1)


def rates_frame(rates: dict[tuple[str, str], Rates]) -> pl.DataFrame:
    rows = [
        {"profile": p, "area": a, "std": r.standard_fen, "tk_basic": r.tekun_basic_fen,
         "care_complete": r.care_fen.get("complete", 0), "care_partial": r.care_fen.get("partial", 0),
         "care_able": r.care_fen.get("able", 0), "version": r.version}
        for (p, a), r in rates.items()
    ]
    schema = {"profile": pl.String, "area": pl.String, "std": pl.Int64, "tk_basic": pl.Int64,
              "care_complete": pl.Int64, "care_partial": pl.Int64, "care_able": pl.Int64, "version": pl.String}
    return pl.DataFrame(rows, schema=schema)


def base_amounts(df: pl.DataFrame, month: dt.date, rates: dict[tuple[str, str], Rates]) -> pl.DataFrame:
    """Monthly benefit per entitlement for ``month``.

    ``df`` columns: ent_id, program, status, person_id, monthly_fen, covered_members, start_month, end_month,
    basis_area, basis_members, basis_income_fen, basis_care_level, grace_end_month, person_dod, deaths, profile,
    area. Returns the rows that are paid, with kind, persons, amount_fen, standard_fen, version.
    """
    end = month_end(month)
    f = df.with_columns(area=pl.when(C("basis_area") != "").then(C("basis_area")).otherwise(C("area")))
    f = f.join(rates_frame(rates), on=["profile", "area"], how="left")
    in_period = (C("start_month") <= month) & (C("end_month").is_null() | (C("end_month") >= month))
    # 特困 / 单人户: payment stops within the month of the person's death (S2 Art 24(1); "死亡保" checks, S5 §3(2)).
    person_alive = C("person_id").is_null() | C("person_dod").is_null() | (C("person_dod") > end)
    grace = C("status") == "grace"
    # A grace entitlement is paid at the amount it had when the household left 低保, through grace_end_month.
    grace_ok = grace & (C("grace_end_month").is_null() | (C("grace_end_month") >= month))
    # Ended entitlements keep being paid through their end_month (cases: the old rate is paid through the month of
    # the adjustment decision); suspended ones are skipped.
    active = C("status").is_in(["active", "ended"]) & ~(C("status").eq("ended") & C("end_month").is_null())
    paid = in_period & person_alive & (grace_ok | active)
    # Whole-household 低保 continues for the remaining members at the recomputed amount until the review
    # (S5 §1(3): check within 3 months of a death); the countable income stays as assessed until then.
    n = pl.max_horizontal(C("basis_members").fill_null(C("covered_members")).cast(pl.Int64)
                          - pl.when(C("person_id").is_null()).then(C("deaths")).otherwise(0), pl.lit(0))
    threshold = C("std") * n
    gap = pl.max_horizontal(threshold - C("basis_income_fen"), pl.lit(0))
    dibao_amt = gap
    for prof, method_tiers in {(p, r.tiers) for (p, _a), r in rates.items() if r.method == "tiers" and r.tiers}:
        # 分档 ([000] 三(二)1): per-capita income below `below` × standard → `pay` × standard per member.
        amt = pl.lit(0, pl.Int64)
        for below_bp, pay_bp in reversed(method_tiers):
            amt = pl.when(C("basis_income_fen") * BP < threshold * below_bp).then(
                (threshold * pay_bp + BP // 2) // BP).otherwise(amt)
        dibao_amt = pl.when(C("profile") == prof).then(amt).otherwise(dibao_amt)
    care = (pl.when(C("basis_care_level") == "complete").then(C("care_complete"))
            .when(C("basis_care_level") == "partial").then(C("care_partial"))
            .when(C("basis_care_level") == "able").then(C("care_able")).otherwise(0))
    tekun_amt = (C("tk_basic") + care) * n
    has_dibao_basis = C("basis_income_fen").is_not_null() & C("std").is_not_null()
    has_tekun_basis = (C("basis_area") != "") & C("tk_basic").is_not_null()
    recomputed = (pl.when(C("program").is_in(["dibao", "dibao_single"]) & has_dibao_basis).then(round_yuan(dibao_amt))
                  .when((C("program") == "tekun") & has_tekun_basis).then(round_yuan(tekun_amt))
                  .otherwise(C("monthly_fen")))
    f = f.with_columns(
        kind=pl.when(grace).then(pl.lit("grace")).otherwise(pl.lit("regular")),
        amount_fen=pl.when(grace).then(C("monthly_fen")).otherwise(recomputed).cast(pl.Int64),
        persons=n,
        standard_fen=C("std"),
        version=C("version").fill_null(""),
    )
    return f.filter(paid & (C("amount_fen") > 0) & (C("persons") > 0))
