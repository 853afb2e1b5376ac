"""Price linkage (物价联动, [000] 四(四)): when a month's price index reaches the profile's trigger, recipients of
living assistance get a price subsidy (pure; no Django). The payroll reads the engine's answer, never the formula.

- Triggered when the CPI year on year reaches ``price_linkage.cpi_trigger`` or the food CPI reaches
  ``price_linkage.food_cpi_trigger``; a profile without a trigger triggers nothing (no figure is invented). The
  triggering index is the larger index that reached its trigger.
- Per person (illustrative formula: the seeds say a subsidy is paid, not how much) = the month's 低保 standard ×
  the triggering index, half up to the yuan; per line = per person × the persons paid that month.

Money in integer fen, indexes in basis points (3.5 % → 350).
"""

from __future__ import annotations

import polars as pl

from doudi.rules.params import Params

BP = 10_000


def triggering_index_bp(params: Params | None, *, cpi_yoy_bp: int, food_cpi_yoy_bp: int) -> int:
    """The index that triggers price linkage this month (basis points), 0 when none reaches its trigger."""
    if params is None:
        return 0
    hits = [value for value, key in ((cpi_yoy_bp, "price_linkage.cpi_trigger"),
                                     (food_cpi_yoy_bp, "price_linkage.food_cpi_trigger"))
            if params.get(key) is not None and value >= params.get(key)]
    return max(hits) if hits else 0


def per_person_fen(standard_fen: int, index_bp: int) -> int:
    """The subsidy per person for one month: standard × index, half up to the yuan."""
    return ((standard_fen * index_bp + BP // 2) // BP + 50) // 100 * 100


def price_subsidy_expr(standard: pl.Expr, persons: pl.Expr, index_bp: int) -> pl.Expr:
    """The same formula over a frame: the line's subsidy for ``persons`` at the month's ``standard`` (fen)."""
    per_person = ((standard * index_bp + BP // 2) // BP + 50) // 100 * 100
    return per_person * persons
