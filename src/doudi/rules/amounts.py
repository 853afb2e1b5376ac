"""The monthly amount of a basic-living entitlement, written once: the engine decides with it and the payroll pays
with it (``entitlement_amounts`` for a month's million rows, ``entitlement_amount`` for one).

An entitlement's *basis* is what the decision fixed; the month's *parameters* (the standard, the multiples, the
care shares, 差额 or 分档) come from the profile in force that month, so a new standard applies from its own date:

- 低保 (``dibao``, whole household) and 单人户 (``dibao_single``, ``members`` = 1): 差额 = standard × members −
  countable income, or 分档 by per-capita income ([000] 三(二)1; S1 Art 23) — half up to the yuan at the end.
- 特困 (``tekun``, one person, ``members`` = 1): basic living (multiple × the base standard, own area or urban,
  [004] 三, [002] 三(二)) + care by the person's tier (share of last year's minimum wage, [000] 三(二)3), each
  rounded to the yuan (``Scalars``).

Price-linkage and one-off subsidies are not amounts of an entitlement: the payments app decides them per month
(docs/payroll.md) from the profile's trigger values.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from doudi.rules import rowexpr
from doudi.rules.exprs import mul_bp, round_yuan
from doudi.rules.params import BP, Params
from doudi.rules.scalars import Scalars

BASIS_COLUMNS = {"program": pl.String, "area": pl.String, "members": pl.Int64, "income_fen": pl.Int64,
                 "care_tier": pl.String}


def dibao_amount(ex: Any, s: Scalars, std: Any, members: Any, income: Any) -> Any:
    """低保 for ``members`` persons with ``income`` countable monthly income (fen, before rounding to the yuan):
    the gap to ``std`` × members, or the 分档 tier's share of it (the lowest ``below`` the per-capita income
    falls under pays ``pay`` × standard per member); never negative."""
    threshold = std * members
    if not s.use_tiers:
        return ex.max_horizontal(threshold - income, ex.lit(0, pl.Int64))
    amt = ex.lit(0, pl.Int64)
    for below_bp, pay_bp in reversed(s.tiers):
        amt = ex.when(income * BP < threshold * below_bp).then(mul_bp(threshold, pay_bp)).otherwise(amt)
    return amt


def tekun_amount(ex: Any, s: Scalars, tier: Any) -> Any:
    """特困 for one person of the row's area (``is_urban``) and care ``tier``: basic living + care."""
    C = ex.col
    basic = ex.when(C("is_urban")).then(ex.lit(s.tk_basic["u"], pl.Int64)).otherwise(ex.lit(s.tk_basic["r"], pl.Int64))
    care = (ex.when(tier == "complete").then(ex.lit(s.tk_care["complete"], pl.Int64))
            .when(tier == "partial").then(ex.lit(s.tk_care["partial"], pl.Int64))
            .when(tier == "able").then(ex.lit(s.tk_care["able"], pl.Int64)).otherwise(ex.lit(0, pl.Int64)))
    return basic + care


def amount_exprs(ex: Any, s: Scalars) -> dict[str, Any]:
    """``standard_fen`` and ``amount_fen`` of a basis row (``BASIS_COLUMNS`` + ``is_urban``); ``amount_fen`` is
    null when no standard is in force or the program is not a basic-living entitlement."""
    C = ex.col
    std = ex.when(C("is_urban")).then(ex.lit(s.su, pl.Int64)).otherwise(ex.lit(s.sr, pl.Int64))
    members = C("members")
    dibao = round_yuan(dibao_amount(ex, s, std, members, C("income_fen")))
    amount = (ex.when(ex.lit(not s.has_std)).then(ex.lit(None, pl.Int64))
              .when(C("program").is_in(["dibao", "dibao_single"])).then(dibao)
              .when(C("program") == "tekun").then(tekun_amount(ex, s, C("care_tier")) * members)
              .otherwise(ex.lit(None, pl.Int64)))
    return {"standard_fen": ex.when(ex.lit(s.has_std)).then(std).otherwise(ex.lit(None, pl.Int64)),
            "amount_fen": amount}


def entitlement_amounts(frame: pl.DataFrame | pl.LazyFrame, params: Params) -> pl.DataFrame:
    """Vectorised: every row of ``frame`` (columns ``BASIS_COLUMNS``: program, area urban|rural, members,
    income_fen, care_tier; other columns are kept) gets ``standard_fen`` and ``amount_fen`` for the month whose
    parameters ``params`` are (one profile; call once per profile). Rows keep their order."""
    s = _scalars(params)
    lf = frame.lazy().with_columns(is_urban=pl.col("area") == "urban")
    return lf.with_columns(**amount_exprs(pl, s)).drop("is_urban").collect()


def entitlement_amount(*, program: str, area: str, params: Params, members: int = 1, income_fen: int | None = 0,
                       care_tier: str | None = None) -> int | None:
    """Scalar form of ``entitlement_amounts`` (the same expressions, evaluated on one row)."""
    row = {"program": program, "is_urban": area == "urban", "members": members, "income_fen": income_fen or 0,
           "care_tier": care_tier}
    return _row_exprs(params)["amount_fen"].fn(row)


# Built once per parameter version (a fingerprint of every value and its provenance).
_CACHE: dict[str, tuple[Scalars, dict[str, Any]]] = {}


def _scalars(params: Params) -> Scalars:
    return _cached(params)[0]


def _row_exprs(params: Params) -> dict[str, Any]:
    return _cached(params)[1]


def _cached(params: Params) -> tuple[Scalars, dict[str, Any]]:
    key = params.version()
    if key not in _CACHE:
        if len(_CACHE) >= 64:
            _CACHE.clear()
        s = Scalars(params)
        _CACHE[key] = (s, amount_exprs(rowexpr, s))
    return _CACHE[key]
