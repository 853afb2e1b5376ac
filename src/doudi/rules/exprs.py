"""Small expression helpers shared by the rules. Each takes the expression namespace ``ex`` (``polars`` for batches,
``doudi.rules.rowexpr`` for one row) so a rule written with them is built both ways from one text.

Money is integer fen; a ratio is basis points (``BP``); every product with a ratio is rounded half up to the fen,
and amounts are rounded half up to the yuan once, at the end (stack-notes: Polars ``round`` is half-to-even).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from doudi.rules.params import BP

HALF = BP // 2


def mul_bp(x: Any, bp: int) -> Any:
    """x × ratio, half up to the fen (x ≥ 0)."""
    return (x * bp + HALF) // BP


def int_mul_bp(x: int, bp: int) -> int:
    return (x * bp + HALF) // BP


def round_yuan(x: Any) -> Any:
    """Half-up rounding of non-negative fen to whole yuan (四舍五入), result in fen."""
    return (x + 50) // 100 * 100


def round_yuan_int(x: int) -> int:
    return (x + 50) // 100 * 100


def total(ex: Any, cols: list[str]) -> Any:
    C = ex.col  # polars.col or rowexpr.col
    return ex.sum_horizontal([C(c).cast(pl.Int64) for c in cols]) if cols else ex.lit(0, pl.Int64)


def bits(ex: Any, pairs: list[tuple[Any, int]]) -> Any:
    return ex.sum_horizontal([ex.when(cond).then(ex.lit(bit, pl.Int64)).otherwise(0) for cond, bit in pairs])


def lit_int(ex: Any, x: Any) -> Any:
    return ex.lit(x, pl.Int64) if x is None or isinstance(x, int) else x


def pick(ex: Any, urban: Any, rural: Any) -> Any:
    """The urban or the rural value by the household's ``is_urban``."""
    return ex.when(ex.col("is_urban")).then(lit_int(ex, urban)).otherwise(lit_int(ex, rural))


def years_before(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 Feb
        return d.replace(year=d.year - years, day=28)


def month_index(d: dt.date) -> int:
    """Months since year 0: ``year × 12 + month − 1``. Month arithmetic on integers (渐退 start + N − 1)."""
    return d.year * 12 + d.month - 1


def month_from_index(i: int) -> dt.date:
    return dt.date(i // 12, i % 12 + 1, 1)


def month_label(i: int | None) -> str | None:
    return None if i is None else f"{i // 12:04d}-{i % 12 + 1:02d}"
