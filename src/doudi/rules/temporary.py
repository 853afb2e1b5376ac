"""临时救助 (temporary assistance): eligibility, the band, the amount and who approves it (S3 Art 47–49; S6 §2;
S4 item 15), every figure from the profile.

- Emergency type (急难型): no income test; paid within ``temporary.emergency_payment_hours`` where the profile sets
  it ([004] 五: 24 hours).
- Expenditure type (支出型): per-capita income below last year's per-capita disposable income (S6 §2(1)).
- Band: the most specific of ``temporary.bands`` (type > cause > severity > catch-all), per person or per household,
  a multiple of the area's (or the urban) 低保 standard; no band → decided case by case (一事一议).
- Approval: above the band's maximum or ``temporary.case_conference_above`` → county 一事一议 with minutes
  (S6 §2(3)); within ``temporary.township_limit`` → township (S6 §2(2)); otherwise county.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from doudi.rules import rowexpr
from doudi.rules.exprs import mul_bp, pick, round_yuan
from doudi.rules.params import Params
from doudi.rules.scalars import Scalars


@dataclass(frozen=True)
class TemporaryLimits:
    """The profile's temporary-assistance figures for one date and area (fen; ``None`` = not set by the profile).

    ``township_limit_fen``: the township approves up to this (and pays advance aid up to it);
    ``case_conference_above_fen``: above this a 一事一议 with minutes is required (besides above the band);
    ``emergency_payment_hours``: emergency aid must be paid within this; ``township_reserve_min_fen``: the township
    reserve fund's floor; ``purchased_services_cap_bp``: purchased social-assistance services ≤ this share of last
    year's subsidy funds; ``social_org_share_min_bp``: at least this share of new purchased services goes to social
    organisations."""

    township_limit_fen: int | None
    case_conference_above_fen: int | None
    emergency_payment_hours: int | None
    township_reserve_min_fen: int | None
    purchased_services_cap_bp: int | None
    social_org_share_min_bp: int | None


def limits(params: Params) -> TemporaryLimits:
    g = params.get
    return TemporaryLimits(g("temporary.township_limit"), g("temporary.case_conference_above"),
                           g("temporary.emergency_payment_hours"), g("temporary.township_reserve_min"),
                           g("funds.purchased_services_cap"), g("funds.social_org_share_min"))


def _specificity(b: dict[str, Any]) -> int:
    return (b["type"] != "any") * 4 + (b["cause"] != "any") * 2 + (b.get("severity", "any") != "any")


def _band_condition(ex: Any, b: dict[str, Any]) -> Any:
    C = ex.col
    cond = C("temp_type").is_not_null()
    for field, col in (("type", "temp_type"), ("cause", "temp_cause"), ("severity", "temp_severity")):
        if b.get(field, "any") != "any":
            cond = cond & (C(col) == b[field])
    return cond


# The batch result's type for ``temp_approval``: built as this Enum directly (a string column cast to it afterwards
# costs a hash lookup per household).
APPROVAL = pl.Enum(["township", "county", "county_case_conference"])


def approval(ex: Any, s: Scalars, amount: Any, band_max: Any) -> Any:
    """Who approves ``amount`` (fen) of temporary assistance whose band maximum is ``band_max`` (null: no band)."""
    conference = band_max.is_null() | (amount > band_max)
    if s.conference_above is not None:
        conference = conference | (amount > s.conference_above)
    out = ex.when(conference).then(ex.lit("county_case_conference", APPROVAL))
    if s.township_limit is not None:
        out = out.when(amount <= s.township_limit).then(ex.lit("township", APPROVAL))
    return out.otherwise(ex.lit("county", APPROVAL))


def approval_level(*, amount_fen: int, band_max_fen: int | None, params: Params) -> str:
    """Scalar form of ``approval`` for the app: ``township`` | ``county`` | ``county_case_conference``."""
    e = approval(rowexpr, Scalars(params), rowexpr.col("amount"), rowexpr.col("band_max"))
    return e.fn({"amount": amount_fen, "band_max": band_max_fen})


def rules(ex: Any, f: Any, s: Scalars) -> Any:
    C = ex.col
    has = C("temp_type").is_not_null()
    n1 = ex.max_horizontal(C("n"), ex.lit(1))
    disp = pick(ex, s.disp_u, s.disp_r)
    income_ok = (C("countable") * 12 < n1 * disp) if s.disp_u is not None and s.disp_r is not None else ex.lit(False)
    persons = ex.coalesce(C("temp_persons"), n1)
    tmin = tmax = band = ex.lit(None, pl.Int64)
    ranked = sorted(enumerate(s.bands), key=lambda ib: _specificity(ib[1]))
    for i, b in ranked:  # least specific first, so the most specific wins (applied last)
        cond = _band_condition(ex, b)
        base = ex.lit(s.su, pl.Int64) if b["base"] == "urban_standard" else C("std")
        mult = persons if b["per_person"] else ex.lit(1, pl.Int64)
        tmin = ex.when(cond).then(round_yuan(mul_bp(base * mult, b["min_multiple"]))).otherwise(tmin)
        tmax = ex.when(cond).then(round_yuan(mul_bp(base * mult, b["max_multiple"]))).otherwise(tmax)
        band = ex.when(cond).then(ex.lit(i, pl.Int64)).otherwise(band)
    f = f.with_columns(temp_income_ok=income_ok, temp_min=tmin, temp_max=tmax, temp_band=band).with_columns(
        temp_eligible=has & ((C("temp_type") == "emergency") | C("temp_income_ok")),
    )
    requested = ex.coalesce(C("temp_requested"), C("temp_max"))
    f = f.with_columns(
        temp_case_conference=C("temp_eligible") & (
            C("temp_max").is_null() | (C("temp_requested").is_not_null() & (C("temp_requested") > C("temp_max")))
            | ((requested > s.conference_above).fill_null(False) if s.conference_above is not None
               else ex.lit(False))),
        temp_amount=ex.when(C("temp_eligible") & C("temp_max").is_not_null()).then(
            round_yuan(ex.min_horizontal(requested, C("temp_max")))),
    )
    return f.with_columns(
        temp_approval=ex.when(C("temp_eligible")).then(approval(ex, s, requested, C("temp_max"))),
        temp_pay_within_hours=ex.when(C("temp_eligible") & (C("temp_type") == "emergency")).then(
            ex.lit(s.emergency_hours, pl.Int64)),
    )
