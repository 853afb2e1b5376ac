"""Price linkage is an engine rule (rules.price): the trigger and the per-person formula come from the profile and
this module only; the payroll reads the answer (tests/payments/test_bank_and_funds.py pays it)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from doudi.policy.loader import load_profile
from doudi.rules.price import per_person_fen, price_subsidy_expr, triggering_index_bp

DAY = dt.date(2026, 3, 1)


def test_trigger_from_the_profile():
    params = load_profile("national").params_as_of(DAY)
    cpi, food = params.get("price_linkage.cpi_trigger"), params.get("price_linkage.food_cpi_trigger")
    assert triggering_index_bp(params, cpi_yoy_bp=cpi - 1, food_cpi_yoy_bp=food - 1) == 0
    assert triggering_index_bp(params, cpi_yoy_bp=cpi, food_cpi_yoy_bp=food - 1) == cpi
    assert triggering_index_bp(params, cpi_yoy_bp=cpi, food_cpi_yoy_bp=food + 5) == food + 5
    assert triggering_index_bp(None, cpi_yoy_bp=9_999, food_cpi_yoy_bp=9_999) == 0  # no profile, no trigger


def test_formula_half_up_to_the_yuan_and_the_frame_agrees():
    assert per_person_fen(70_000, 360) == 2_500  # 700 × 3.6 % = 25.2 → 25 yuan
    assert per_person_fen(70_000, 500) == 3_500  # 35.0
    assert per_person_fen(90_000, 350) == 3_200  # 31.5 → 32 (half up)
    frame = pl.DataFrame({"std": [70_000, 90_000], "n": [3, 2]})
    got = frame.select(x=price_subsidy_expr(pl.col("std"), pl.col("n"), 350))["x"].to_list()
    assert got == [per_person_fen(70_000, 350) * 3, per_person_fen(90_000, 350) * 2]
