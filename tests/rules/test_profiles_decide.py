"""Every shipped profile validates and decides every program on a set of households — temporary assistance of every
type, cause and severity included (a locality without a band could not decide a request) — and its temporary,
funds and timeline figures are read from the profile, where a locality sets them and nowhere else."""

from __future__ import annotations

import datetime as dt
from itertools import product

import pytest

from doudi.policy.loader import available_profiles, load_profile
from doudi.rules import evaluate_households
from doudi.rules.kinds import MEDICAL_KINDS, TEMP_CAUSES, TEMP_SEVERITY, TEMP_TYPES
from doudi.rules.procedure import Timelines, timelines
from doudi.rules.temporary import approval_level, limits

ON = dt.date(2026, 3, 1)
LOW = {"birth_date": "1980-01-01"}  # no income


def _households() -> list[dict]:
    out = [
        {"id": "dibao", "area": "urban", "members": [LOW, {**LOW, "birth_date": "2012-01-01"}]},
        {"id": "single", "area": "rural", "members": [
            {"birth_date": "1975-01-01", "employed": True, "income": {"wage": 190_000}},
            {"birth_date": "2000-01-01", "disability": {"type": "intellectual", "grade": 2}}]},
        {"id": "tekun", "area": "urban", "members": [{"birth_date": "1940-01-01", "self_care_failed": 3}]},
        {"id": "grace", "area": "urban", "members": [{"birth_date": "1980-01-01", "employed": True,
                                                      "income": {"wage": 500_000}}],
         "current": {"on_dibao": True, "amount": 40_000, "income_rise_reason": "employment"}},
        {"id": "rigid", "area": "urban", "income_12m": 5_400_000, "rigid_expense_12m": 3_000_000, "members": [
            {"birth_date": "1970-01-01", "income": {"pension": 450_000}}, LOW, {"birth_date": "2010-01-01"}]},
    ]
    for t, c, s in product(TEMP_TYPES, TEMP_CAUSES, TEMP_SEVERITY):
        out.append({"id": f"temp-{t}-{c}-{s}", "area": "urban", "members": [LOW],
                    "temporary": {"type": t, "cause": c, "severity": s}})
    out.append({"id": "medical", "area": "urban", "members": [{**LOW, "id": "P"}], "medical": {"claims": [
        {"person": "P", "kind": k, "oop": 100_000, "date": "2026-02-01"} for k in MEDICAL_KINDS]}})
    return out


@pytest.mark.parametrize("profile", available_profiles())
def test_every_profile_decides_every_program(profile):
    params = load_profile(profile).params_as_of(ON)
    decided = {d["household_id"]: d for d in evaluate_households(_households(), params, ON)}
    assert decided["dibao"]["dibao"]["whole_household"] and decided["dibao"]["dibao"]["amount_fen"] > 0
    assert decided["single"]["dibao"]["single_person"] and decided["single"]["margin"]["eligible"]
    assert decided["tekun"]["tekun"]["eligible"] and decided["tekun"]["tekun"]["care_fen"] > 0
    assert decided["grace"]["grace"]["months"] > 0 and decided["grace"]["grace"]["last_paid_month"]
    assert decided["rigid"]["rigid_difficulty"]["eligible"]
    for key, d in decided.items():
        if key.startswith("temp-"):
            t = d["temporary"]
            assert t["eligible"] and t["max_fen"] and t["amount_fen"] == t["max_fen"], key
            assert t["approval"] in ("township", "county", "county_case_conference")
            assert t["approval"] == approval_level(amount_fen=t["amount_fen"], band_max_fen=t["max_fen"],
                                                   params=params)
    claims = decided["medical"]["medical"]["claims"]
    assert [c["category"] for c in claims] == ["dibao"] * 3 and all(c["payable_fen"] > 0 for c in claims)


def test_temporary_and_funds_figures_come_from_the_profiles():
    national, shiqiao, hulunbuir, dazhou = (limits(load_profile(p).params_as_of(ON))
                                            for p in ("national", "shiqiao", "hulunbuir", "dazhou"))
    assert (shiqiao.emergency_payment_hours, shiqiao.township_reserve_min_fen) == (24, 5_000_000)  # [004] 五
    assert (national.emergency_payment_hours, national.township_reserve_min_fen) == (None, None)
    assert hulunbuir.purchased_services_cap_bp == 200  # [000] 三(五)4
    assert national.purchased_services_cap_bp is None and dazhou.purchased_services_cap_bp is None
    assert dazhou.social_org_share_min_bp == 3000  # [001] 二(五)16
    assert national.township_limit_fen == 270_000 and national.case_conference_above_fen == 2_000_000


def test_the_approval_levels():
    params = load_profile("national").params_as_of(ON)
    assert approval_level(amount_fen=270_000, band_max_fen=540_000, params=params) == "township"
    assert approval_level(amount_fen=270_100, band_max_fen=540_000, params=params) == "county"
    assert approval_level(amount_fen=540_100, band_max_fen=540_000, params=params) == "county_case_conference"
    assert approval_level(amount_fen=2_000_100, band_max_fen=9_000_000, params=params) == "county_case_conference"
    assert approval_level(amount_fen=10_000, band_max_fen=None, params=params) == "county_case_conference"


def test_national_timelines_with_their_sources():
    params = load_profile("national").params_as_of(ON)
    t = timelines(params)
    assert t == Timelines(
        notice_days=7, investigation_start_workdays=3, verification_start_workdays=3, county_opinion_workdays=10,
        total_workdays=30, total_special_workdays=45, total_delegated_workdays=20, total_delegated_special_workdays=45,
        rejection_notice_workdays=3, tekun_first_review_workdays=15, tekun_objection_workdays=15,
        tekun_county_workdays=15, tekun_random_check_share=3000, tekun_reassessment_workdays=10,
        tekun_termination_notice_days=7, death_check_months=3, min_investigators=2, job_refusals=3,
        rigid_total_workdays=30, rigid_total_special_workdays=45, advance_paperwork_workdays=10,
        temporary_payment_workdays=5, advance_confirm_days=3)
    assert "第十九条" in params.meta["procedure.notice_days"].source
    assert params.meta["procedure.advance_paperwork_workdays"].illustrative
