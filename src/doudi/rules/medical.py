"""医疗救助 (medical assistance, [000] 三(三)1): a share of the out-of-pocket compliant costs, by the person's
category (特困 > 低保 > 低保边缘) and the kind of cost, within a per-person annual cap.

One formula (``payable``): round_yuan(out-of-pocket × rate), at most what is left of the annual cap after the
amounts already paid this year. It is built twice: per claim (``evaluate_claims``: claims per covered person,
vectorised, the caller passes each person's year-to-date paid amounts) and, for older inputs, per household
(``household_rules``: ``medical.outpatient_chronic_oop`` / ``inpatient_oop`` with the household's category).
Hulunbuir's merged outpatient + inpatient cap and the second round of aid are not modelled (docs/engine.md).
"""

from __future__ import annotations

from typing import Any

import polars as pl

from doudi.rules.exprs import mul_bp, round_yuan
from doudi.rules.kinds import MEDICAL_CATEGORIES, MEDICAL_KINDS
from doudi.rules.params import Params
from doudi.rules.scalars import Scalars

# The batch result's type for ``medical_category`` (built as this Enum directly, not cast from strings afterwards).
CATEGORY = pl.Enum(list(MEDICAL_CATEGORIES))
CLAIM_SCHEMA = {"claim_id": pl.String, "person_id": pl.String, "kind": pl.String, "oop_fen": pl.Int64,
                "category": pl.String, "ytd_fen": pl.Int64}


def payable(ex: Any, oop: Any, rate: int, cap: int | None, already: Any) -> tuple[Any, Any]:
    """(amount, capped) for ``oop`` fen at ``rate`` (bp) with ``already`` fen paid this year against ``cap``
    (``already`` None: the uncapped amount)."""
    raw = round_yuan(mul_bp(oop, rate))
    if cap is None or already is None:
        return raw, ex.lit(False)
    left = ex.max_horizontal(ex.lit(cap, pl.Int64) - already, ex.lit(0, pl.Int64))
    return ex.min_horizontal(raw, left), raw > left


def _by_category(ex: Any, s: Scalars, kind: str, category: Any, oop: Any, already: Any) -> tuple[Any, Any]:
    amount, capped = ex.lit(0, pl.Int64), ex.lit(False)
    for cat in MEDICAL_CATEGORIES:
        rate, cap = s.med[(kind, cat)]
        if rate is None:
            continue
        a, c = payable(ex, oop, rate, cap, already)
        amount = ex.when(category == cat).then(a).otherwise(amount)
        capped = ex.when(category == cat).then(c).otherwise(capped)
    return amount, capped


def _by_flags(ex: Any, s: Scalars, kind: str, oop: Any, already: Any) -> tuple[Any, Any]:
    """``_by_category`` for the household's category, read from the flags it is made of (``household_rules``):
    the same branches without comparing a million category values three times per kind."""
    C = ex.col
    amount = capped = None
    for flag, cat in (("tekun_eligible", "tekun"), ("dibao_eligible", "dibao"), ("margin", "margin")):
        rate, cap = s.med[(kind, cat)]
        a, c = payable(ex, oop, rate, cap, already) if rate is not None else (ex.lit(0, pl.Int64), ex.lit(False))
        amount = (ex if amount is None else amount).when(C(flag)).then(a)
        capped = (ex if capped is None else capped).when(C(flag)).then(c)
    return amount.otherwise(ex.lit(0, pl.Int64)), capped.otherwise(ex.lit(False))


def household_rules(ex: Any, f: Any, s: Scalars) -> Any:
    """The household's category and its outpatient/inpatient amounts (older inputs without claims)."""
    C = ex.col
    cat = (ex.when(C("tekun_eligible")).then(ex.lit("tekun", CATEGORY))
           .when(C("dibao_eligible")).then(ex.lit("dibao", CATEGORY))
           .when(C("margin")).then(ex.lit("margin", CATEGORY)).otherwise(ex.lit(None, CATEGORY)))
    f = f.with_columns(medical_category=cat)
    cols = {}
    for kind, oop, ytd, out in (
        ("outpatient_chronic", "med_outpatient_oop", "med_ytd_outpatient", "medical_outpatient"),
        ("inpatient", "med_inpatient_oop", "med_ytd_inpatient", "medical_inpatient"),
    ):
        cols[out], cols[f"{out}_capped"] = _by_flags(ex, s, kind, C(oop), C(ytd))
    return f.with_columns(**cols)


def claim_exprs(ex: Any, s: Scalars) -> dict[str, Any]:
    """Per claim row (``kind``, ``category``, ``oop_fen``, ``already_fen``): ``raw_fen`` (out-of-pocket × rate, to
    the yuan), ``payable_fen`` (at most what is left of the annual cap after ``already_fen``) and ``capped``;
    0 for a person in no category or a kind the profile does not rate."""
    C = ex.col
    raw, amount, capped = ex.lit(0, pl.Int64), ex.lit(0, pl.Int64), ex.lit(False)
    for kind in MEDICAL_KINDS:
        a, c = _by_category(ex, s, kind, C("category"), C("oop_fen"), C("already_fen"))
        r, _ = _by_category(ex, s, kind, C("category"), C("oop_fen"), None)
        raw = ex.when(C("kind") == kind).then(r).otherwise(raw)
        amount = ex.when(C("kind") == kind).then(a).otherwise(amount)
        capped = ex.when(C("kind") == kind).then(c).otherwise(capped)
    return {"raw_fen": raw, "payable_fen": amount, "capped": capped}


def evaluate_claims(claims: pl.DataFrame | pl.LazyFrame, params: Params) -> pl.DataFrame:
    """Vectorised: ``claims`` (``CLAIM_SCHEMA``, in the order they are to be paid — by date) gets ``payable_fen``
    and ``capped``. Claims of one person and kind draw on one annual cap in order, as if paid one by one: a claim
    pays at most cap − year-to-date − what the earlier claims asked (each earlier claim paid in full until the cap
    is reached, so what they asked is what they drew while any cap was left)."""
    s = Scalars(params)
    e = claim_exprs(pl, s)
    lf = claims.lazy().with_row_index("_order").with_columns(already_fen=pl.lit(0, pl.Int64)).with_columns(
        raw_fen=e["raw_fen"])
    earlier = (pl.col("raw_fen").cum_sum() - pl.col("raw_fen")).over(["person_id", "kind"], order_by="_order")
    out = lf.with_columns(already_fen=pl.col("ytd_fen") + earlier).with_columns(
        payable_fen=e["payable_fen"], capped=e["capped"])
    return out.sort("_order").drop("_order", "already_fen").collect()
