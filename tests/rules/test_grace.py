"""渐退 with memory: a period once granted keeps its start and its months whenever the household is evaluated again;
the last paid month is start + N − 1 (examples.md 4), the same in the engine and in ``grace.last_paid_month``."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from doudi.policy.loader import load_profile
from doudi.rules import evaluate_household
from doudi.rules.grace import last_paid_month

ABOVE = {"birth_date": "1975-01-01", "employed": True, "income": {"wage": 400_000}}  # above every standard


def _month(i: int) -> dt.date:
    return dt.date(2025 + i // 12, 1 + i % 12, 1)


def _household(current: dict) -> dict:
    return {"id": "x", "area": "urban", "members": [ABOVE],
            "current": {"on_dibao": True, "amount": 50_000, "income_rise_reason": "employment", **current}}


@pytest.fixture(scope="module", params=["hulunbuir", "dazhou", "yunnan", "national"])
def profile(request):
    return load_profile(request.param)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.integers(0, 24), granted=st.integers(1, 12), later=st.integers(0, 30), rise=st.integers(0, 30))
def test_a_granted_period_is_never_granted_again_nor_restarted(profile, start, granted, later, rise):
    on = _month(start + later)
    params = profile.params_as_of(on)
    g = evaluate_household(_household({
        "grace_start_month": _month(start).strftime("%Y-%m"), "grace_months_granted": granted,
        # a new rise after the start, or the county asking for more months, changes nothing
        "income_rose_on": _month(start + rise).isoformat(), "grace_months": 12,
    }), params, on)["grace"]
    last = last_paid_month(_month(start), granted)
    assert g["months"] == granted
    assert g["start_month"] == _month(start).strftime("%Y-%m")
    assert g["last_paid_month"] == last.strftime("%Y-%m")
    assert g["months_remaining"] == max(0, (last.year - on.year) * 12 + last.month - on.month + 1)
    assert g["months_remaining"] <= granted
    assert (g["amount_fen"] > 0) == (on <= last)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rise=st.integers(12, 24), later=st.integers(0, 14))
def test_a_new_period_runs_from_the_month_of_the_rise_not_from_the_evaluation(profile, rise, later):
    on = _month(rise + later)
    params = profile.params_as_of(on)
    g = evaluate_household(_household({"income_rose_on": _month(rise).replace(day=17).isoformat()}), params,
                           on)["grace"]
    n = params["grace.months"]
    assert g["months"] == n
    assert g["last_paid_month"] == last_paid_month(_month(rise), n).strftime("%Y-%m")


def test_examples_4_march_rise_paid_through_august_september_stops():
    params = load_profile("hulunbuir").params_as_of(dt.date(2026, 3, 15))
    assert last_paid_month(dt.date(2026, 3, 1), 6) == dt.date(2026, 8, 1)
    march = evaluate_household(_household({"income_rose_on": "2026-03-10"}), params, dt.date(2026, 3, 15))["grace"]
    assert (march["last_paid_month"], march["months_remaining"]) == ("2026-08", 6)
    on = dt.date(2026, 9, 1)
    september = evaluate_household(_household({"grace_start_month": "2026-03", "grace_months_granted": 6}),
                                   load_profile("hulunbuir").params_as_of(on), on)["grace"]
    assert (september["months_remaining"], september["amount_fen"], september["ended"]) == (0, 0, True)


@pytest.mark.parametrize("reason", ["death", "voluntary_exit", "land_compensation", "concealment"])
def test_excluded_rises_stop_at_once_even_inside_a_period(reason):
    on = dt.date(2026, 5, 1)
    params = load_profile("hulunbuir").params_as_of(on)
    g = evaluate_household(_household({"income_rise_reason": reason, "grace_start_month": "2026-03",
                                       "grace_months_granted": 6}), params, on)["grace"]
    assert (g["months"], g["amount_fen"], g["stop_immediately"]) == (0, 0, True)
