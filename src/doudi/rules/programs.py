"""Household rules: property, income, 低保 (whole household or 单人户), 低保边缘, 刚性支出困难, 特困 totals and the
review cycle. Two stages over a household row: ``household_facts`` (after the per-member facts are summed) and
``programs`` (after the per-person 特困 decisions are summed). Written against the expression namespace ``ex``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from doudi.rules import grace, masks, medical, temporary
from doudi.rules.amounts import dibao_amount
from doudi.rules.exprs import pick, round_yuan
from doudi.rules.members import DECIDE_COUNTS, DECIDE_SUMS, FACT_COUNTS, FACT_SUMS, unpack
from doudi.rules.params import BP
from doudi.rules.pipeline import Pipeline
from doudi.rules.scalars import Scalars


def household_facts(ex: Any, s: Scalars) -> Any:
    """Stage after the member facts: the standard, the property test (S1 Art 14; local thresholds), the whole
    household's countable income, and the mask of co-resident members able to support (S2 Art 8)."""

    C = ex.col
    n = C("n")
    n1 = ex.max_horizontal(n, ex.lit(1))
    if s.fin_per_person is not None:
        fin_ok = C("fin_assets") <= n1 * s.fin_per_person
    elif s.fin_months is not None:
        fin_ok = C("fin_assets") <= n1 * C("std") * s.fin_months
    else:
        fin_ok = ex.lit(True)
    veh_ok = C("vehicles") <= s.max_veh if s.max_veh is not None else ex.lit(True)
    if s.max_veh_value is not None:
        veh_ok = veh_ok & (C("vehicle_value") <= s.max_veh_value)
    re_ok = C("extra_real_estate") <= s.max_re if s.max_re is not None else ex.lit(True)
    biz_ok = C("business_regs") <= s.max_biz if s.max_biz is not None else ex.lit(True)
    p = Pipeline().with_columns([C(c).fill_null(0) for c in [*FACT_SUMS, "ext_able_mask"]])
    p = p.with_columns(std=pick(ex, s.su, s.sr), **unpack(ex, "c1", FACT_COUNTS)).with_columns(
        fin_ok=fin_ok, veh_ok=veh_ok, re_ok=re_ok, biz_ok=biz_ok,
        countable=ex.max_horizontal(C("gross") - C("emp_ded") - C("rigid_ded"), ex.lit(0)),
        threshold=n * C("std"),
    ).with_columns(
        property_ok=C("fin_ok") & C("veh_ok") & C("re_ok") & C("biz_ok"),
        per_capita_income=(2 * C("countable") + n1) // (2 * n1),  # displayed, half up to the fen
    )
    # Members able to support (S2 Art 8; the masks: members.py): minus those it makes unable when the household's
    # property is within the rules.
    unable = ex.when(C("property_ok")).then(C("m_prop")).otherwise(ex.lit(0, pl.Int64))
    return p.with_columns(able_mask=C("m_able") - (C("m_able") & unable))


def programs(ex: Any, s: Scalars, as_of: dt.date) -> Any:
    """Stage after the per-person decisions: every program's household result (``OUTPUT_COLUMNS``)."""

    C = ex.col
    f = Pipeline().with_columns([C(c).fill_null(0) for c in DECIDE_SUMS]).with_columns(
        **unpack(ex, "c2", DECIDE_COUNTS))
    f = _dibao(ex, f, s)
    care = s.tk_care
    f = f.with_columns(tekun_persons=C("tk_c") + C("tk_p") + C("tk_a")).with_columns(
        tekun_eligible=C("tekun_persons") > 0,
        # per person basic + care (members.decide gives the same per person; these are their sums)
        tekun_basic=C("tekun_persons") * pick(ex, s.tk_basic["u"], s.tk_basic["r"]),
        tekun_care=C("tk_c") * care["complete"] + C("tk_p") * care["partial"] + C("tk_a") * care["able"],
    )
    f = _rigid(ex, f, s)
    f = grace.rules(ex, f, s, as_of)
    f = temporary.rules(ex, f, s)
    f = medical.household_rules(ex, f, s)
    f = _review(ex, f, s)
    f = f.with_columns(rules_mask=masks.rules_mask(ex, s), reasons_mask=masks.reasons_mask(ex, s))
    return f.select(OUTPUT_COLUMNS)


def _dibao(ex: Any, f: Any, s: Scalars) -> Any:
    C = ex.col
    n_db = C("n_db")
    f = f.with_columns(
        countable_db=ex.max_horizontal(C("gross_db") - C("emp_db") - C("rigid_db"), ex.lit(0)),
        threshold_db=n_db * C("std"),
    )
    # 低保, for the members not covered by 特困 (one basic-living program per person): strictly below the standard
    # (S3 Art 9: 低于; exactly at the standard is not below it) and property within the rules → whole household.
    below = (n_db > 0) & (C("countable_db") < C("threshold_db")) & ex.lit(s.has_std)
    # 低保边缘: not eligible, per-capita income below margin.multiple × the standard (1.5 nationally), property within
    # the rules (S1 Art 8 ¶2; S5 §1(4); S7 §2).
    margin_bp = s.margin_bp if s.margin_bp is not None else 0
    f = f.with_columns(dibao_whole=below & C("property_ok"),
                       hh_amt=dibao_amount(ex, s, C("std"), n_db, C("countable_db"))).with_columns(
        margin=~C("dibao_whole") & (n_db > 0) & ex.lit(s.has_std) & C("property_ok")
        & (C("countable_db") * BP < C("threshold_db") * margin_bp),
    ).with_columns(
        # 单人户 (S1 Art 8; [000] 三(二)1; [002] 二(一)): only for a margin household's severely disabled/ill members.
        dibao_single=C("margin") & ex.lit(s.single) & (C("single_n") > 0),
    )
    return f.with_columns(
        dibao_eligible=C("dibao_whole") | C("dibao_single"),
        dibao_persons=ex.when(C("dibao_whole")).then(n_db).when(C("dibao_single")).then(C("single_n")).otherwise(0),
        # 单人户: the sum of the persons' own amounts, each rounded to the yuan (each is its own entitlement)
        dibao_amount=ex.when(C("dibao_whole")).then(round_yuan(C("hh_amt")))
        .when(C("dibao_single")).then(C("single_amt")).otherwise(0),
    )


def _rigid(ex: Any, f: Any, s: Scalars) -> Any:
    # 刚性支出困难 (S8 Art 4, in force 2025-01-01 → only when the profile has a ratio on this date)
    C = ex.col
    n1 = ex.max_horizontal(C("n"), ex.lit(1))
    disp = pick(ex, s.disp_u, s.disp_r)
    # 12-month income: the household's figure, else the counted members' (when given), else 12 × this month's
    members_12m = ex.when(C("n_income_12m") > 0).then(C("income_12m_members"))
    inc12 = ex.coalesce(C("income_12m"), members_12m, C("countable") * 12)
    rigid12 = C("rigid_12m") + C("rigid_12m_members")
    in_force = s.rigid_bp is not None and s.disp_u is not None and s.disp_r is not None
    other_prog = C("dibao_eligible") | C("tekun_eligible") | C("margin")
    return f.with_columns(
        rigid_income_ok=inc12 < n1 * disp if in_force else ex.lit(False),
        rigid_ratio_ok=(rigid12 * BP > inc12 * (s.rigid_bp or 0)) if in_force else ex.lit(False),
    ).with_columns(
        rigid_difficulty=ex.lit(in_force) & ~other_prog & (C("n") > 0) & C("property_ok")
        & C("rigid_income_ok") & C("rigid_ratio_ok"),
    ).with_columns(rigid_valid_months=ex.when(C("rigid_difficulty")).then(ex.lit(s.rigid_valid, pl.Int64)))


def _review(ex: Any, f: Any, s: Scalars) -> Any:
    # Review cycle: 特困 and stable 低保 yearly, 低保 with irregular income or a covered member able to work
    # half-yearly (S1 Art 31; S4 item 7; [000] 三(二)4).
    C = ex.col
    unstable = C("income_irregular") | (C("able_db") > 0)
    dibao = (ex.when(C("dibao_eligible") & unstable).then(ex.lit(s.review["unstable"], pl.Int64))
             .when(C("dibao_eligible")).then(ex.lit(s.review["stable"], pl.Int64)))
    return f.with_columns(review_months_dibao=dibao).with_columns(
        review_months=ex.when(C("tekun_eligible")).then(ex.lit(s.review["tekun"], pl.Int64))
        .otherwise(C("review_months_dibao")),
    )


OUTPUT_COLUMNS = [
    "hh_id", "is_urban", "n", "n_excluded", "gross", "excl_income", "emp_ded", "rigid_ded", "countable",
    "per_capita_income", "std", "threshold", "property_ok",
    "n_db", "countable_db", "threshold_db",
    "dibao_eligible", "dibao_whole", "dibao_single", "dibao_persons", "dibao_amount",
    "margin", "rigid_difficulty", "rigid_valid_months",
    "tekun_eligible", "tekun_persons", "tk_c", "tk_p", "tk_a", "tekun_basic", "tekun_care",
    "tk_target_n", "tk_income_ok_n", "tk_sup_blocked_n",
    "grace_months", "grace_start", "grace_last_month", "grace_remaining", "grace_amount", "grace_excluded",
    "temp_type", "temp_cause", "temp_severity", "temp_band", "temp_eligible", "temp_min", "temp_max", "temp_amount",
    "temp_case_conference", "temp_approval", "temp_pay_within_hours",
    "medical_category", "medical_outpatient", "medical_inpatient",
    "review_months", "review_months_dibao", "rules_mask", "reasons_mask",
]
