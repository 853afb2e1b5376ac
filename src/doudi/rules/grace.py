"""渐退 (phase-out) with memory (S1 Art 33; S5 §1(3); [000] 三(三)4; [001] 二(二)4; [002] 二(一); [003]).

A 低保 household whose income rose above the standard through employment keeps its amount for N months from the
month of the rise: the last paid month is start + N − 1 (examples.md 4: a rise in March with 6 months is paid
through August; September stops). A period once granted keeps its start and its N: a later evaluation never grants
the months again and never restarts the period. N is the profile's ``grace.months`` (or the registered-poor
retention), or the months asked for, kept within ``grace.min_months``–``grace.max_months`` (``special_max_months``
in special cases). Rises from death, voluntary exit, land compensation or concealment stop at once
(``grace.excluded_reasons``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from doudi.rules.exprs import month_from_index, month_index
from doudi.rules.scalars import Scalars


def granted(grace: dict | None) -> bool:
    """Whether an evaluation's ``grace`` output grants a period to pay: months counted, not already over, not a rise
    that stops at once. The one reading of that output for the review, the 渐退 case and the notice."""
    g = grace or {}
    return bool(g.get("months")) and bool(g.get("last_paid_month")) and not g.get("ended") \
        and not g.get("stop_immediately")


def last_paid_month(start: dt.date, months: int) -> dt.date:
    """The last month a 渐退 period of ``months`` starting in ``start``'s month is paid: start + N − 1."""
    return month_from_index(month_index(start) + months - 1)


def rules(ex: Any, f: Any, s: Scalars, as_of: dt.date) -> Any:
    C = ex.col
    now = month_index(as_of)
    i64 = pl.Int64
    leaving = C("on_dibao") & ~C("dibao_eligible")
    excl = C("rise_reason").is_in(s.grace_excluded).fill_null(False) if s.grace_excluded else ex.lit(False)
    started = C("grace_start").is_not_null() & (C("grace_granted") > 0).fill_null(False)
    default = ex.lit(s.grace_months, i64)
    if s.grace_rp is not None:
        default = ex.when(C("registered_poor")).then(ex.lit(s.grace_rp, i64)).otherwise(default)
    req = C("grace_requested")
    hi = ex.when(C("grace_special")).then(ex.lit(s.grace_special_max or s.grace_max, i64)).otherwise(
        ex.lit(s.grace_max, i64))
    kept = ex.min_horizontal(req, hi)  # a null bound bounds nothing (horizontal min/max skip nulls)
    kept = ex.max_horizontal(kept, ex.lit(s.grace_min, i64)) if s.grace_min is not None else kept
    f = f.with_columns(
        g_continuing=leaving & started & ~excl,
        g_new=leaving & ~started & (C("rise_reason") == "employment").fill_null(False) & ~excl,
        g_kept=ex.when(req.is_not_null()).then(kept).otherwise(default),
    ).with_columns(
        grace_months=ex.when(C("g_continuing")).then(C("grace_granted")).when(C("g_new")).then(C("g_kept"))
        .otherwise(ex.lit(0, i64)),
        grace_start=ex.when(C("g_continuing")).then(C("grace_start"))
        .when(C("g_new")).then(ex.coalesce(C("rise_month"), ex.lit(now, i64))).otherwise(ex.lit(None, i64)),
        grace_adjusted=C("g_new") & req.is_not_null() & (C("g_kept") != req),
        grace_excluded=leaving & excl,
    )
    f = f.with_columns(
        grace_last_month=ex.when(C("grace_months") > 0).then(C("grace_start") + C("grace_months") - 1),
    )
    return f.with_columns(
        grace_remaining=ex.when(C("grace_months") > 0).then(
            ex.max_horizontal(C("grace_last_month") - now + 1, ex.lit(0, i64))).otherwise(ex.lit(0, i64)),
    ).with_columns(
        grace_amount=ex.when(C("grace_remaining") > 0).then(C("current_amount")).otherwise(ex.lit(0, i64)),
    )
