"""Pure, vectorised monthly amounts (no ORM): one Polars pass over a chunk of entitlements for one month.

Rates come from the policy profile *as of the month paid*, so a new 低保 standard applies by its own effective
date without anyone touching the entitlements. Money is integer fen; rounding to the yuan is half up, once, at the
end (``(fen + 50) // 100 * 100``; Polars ``round`` is half-to-even and is never used).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from doudi.rules.amounts import entitlement_amounts
from doudi.rules.params import Params

C = pl.col

def setting(params: Params | None, key: str) -> int | None:
    """A payments figure of the profile (``price_linkage.*_trigger``, ``funds.purchased_services_cap``, basis
    points); ``None`` when the profile sets none — then nothing is triggered or capped (no figure is invented)."""
    return params.get(key) if params is not None else None


def month_end(month: dt.date) -> dt.date:
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def add_months(month: dt.date, n: int) -> dt.date:
    y, m = divmod(month.month - 1 + n, 12)
    return dt.date(month.year + y, m + 1, 1)


def _engine_amounts(f: pl.DataFrame, params: dict[tuple[str, str], Params]) -> pl.DataFrame:
    """The engine's amount for each row's basis under the month's parameters (``rules.amounts``, the one formula),
    with the standard and the parameter version, one call per (profile, area)."""
    if f.is_empty():
        return f.with_columns(engine_fen=pl.lit(None, pl.Int64), std=pl.lit(None, pl.Int64),
                              version=pl.lit("", pl.String))
    parts = []
    for (prof, area), sub in f.partition_by(["profile", "area"], as_dict=True, maintain_order=True).items():
        p = params.get((prof, area))
        if p is None:
            parts.append(sub.with_columns(engine_fen=pl.lit(None, pl.Int64), std=pl.lit(None, pl.Int64),
                                          version=pl.lit("", pl.String)))
            continue
        basis = sub.select(program=C("program"), area=C("area"), members=C("persons"),
                           income_fen=C("basis_income_fen").fill_null(0), care_tier=C("basis_care_level"))
        out = entitlement_amounts(basis, p)
        parts.append(sub.with_columns(engine_fen=out["amount_fen"], std=out["standard_fen"],
                                      version=pl.lit(p.version(), pl.String)))
    return pl.concat(parts, how="vertical_relaxed")


def base_amounts(df: pl.DataFrame, month: dt.date, params: dict[tuple[str, str], Params]) -> pl.DataFrame:
    """Monthly benefit per entitlement for ``month``: the decided amount.

    ``df`` columns: ent_id, program, status, person_id, monthly_fen, covered_members, start_month, end_month,
    basis_area, basis_members, basis_income_fen, basis_care_level, basis_amount_fen, grace_end_month, person_dod,
    profile, area. Returns the rows that are paid, with kind, persons, amount_fen, standard_fen, version.

    The line pays ``monthly_fen`` — what the decision stored — moved only by what the engine re-applies for the
    month: ``entitlement_amount(basis, params of the month) − basis_amount_fen`` (a dated standard rise). A member's
    death in a whole household's 低保 changes nothing here: the decided amount is paid until a new decision (S5
    §1(3): the household is checked within 3 months of the death and the increase, decrease or stop is decided
    then; the death opens that review at once, ``reviews.services.deaths``). Entitlements stored before
    ``basis_amount_fen`` existed are paid the engine's amount for their basis (as before).
    """
    end = month_end(month)
    f = df.with_columns(area=pl.when(C("basis_area") != "").then(C("basis_area")).otherwise(C("area")))
    in_period = (C("start_month") <= month) & (C("end_month").is_null() | (C("end_month") >= month))
    # A person's own benefit (特困, 单人户) stops within the month of their death (S2 Art 24(1); "死亡保" checks,
    # S5 §3(2)); each 特困 person has their own entitlement, so a death ends only theirs.
    person_alive = C("person_id").is_null() | C("person_dod").is_null() | (C("person_dod") > end)
    grace = C("status") == "grace"
    # A grace entitlement is paid at the amount it had when the household left 低保, through grace_end_month.
    grace_ok = grace & (C("grace_end_month").is_null() | (C("grace_end_month") >= month))
    # Ended entitlements keep being paid through their end_month (cases: the old rate is paid through the month of
    # the adjustment decision); suspended ones are skipped.
    active = C("status").is_in(["active", "ended"]) & ~(C("status").eq("ended") & C("end_month").is_null())
    paid = in_period & person_alive & (grace_ok | active)
    n = C("basis_members").fill_null(C("covered_members")).cast(pl.Int64)
    f = _engine_amounts(f.with_columns(persons=n), params)
    has_basis = (pl.when(C("program").is_in(["dibao", "dibao_single"])).then(C("basis_income_fen").is_not_null())
                 .otherwise((C("program") == "tekun") & (C("basis_area") != "")))
    engine = pl.when(has_basis).then(C("engine_fen"))
    moved = pl.max_horizontal(C("monthly_fen") + engine - C("basis_amount_fen"), pl.lit(0))
    decided = (pl.when(grace | engine.is_null()).then(C("monthly_fen"))
               .when(C("basis_amount_fen").is_null()).then(engine)
               .otherwise(moved))
    f = f.with_columns(
        kind=pl.when(grace).then(pl.lit("grace")).otherwise(pl.lit("regular")),
        amount_fen=decided.cast(pl.Int64),
        standard_fen=C("std"),
        version=C("version").fill_null(""),
    )
    return f.filter(paid & (C("amount_fen") > 0) & (C("persons") > 0))
