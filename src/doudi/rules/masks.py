"""The explanation as two integers per household: which rules applied and which reasons refused (``codes``)."""

from __future__ import annotations

from typing import Any

from doudi.rules.codes import REASON_BIT, RULE_BIT
from doudi.rules.exprs import bits
from doudi.rules.scalars import Scalars


def rules_mask(ex: Any, s: Scalars) -> Any:
    C = ex.col  # polars.col or rowexpr.col
    R = RULE_BIT
    return bits(ex, [
        (C("n_excluded") > 0, R["HH_MEMBER_EXCLUDED"]),
        (C("excl_income") > 0, R["INCOME_KIND_EXCLUDED"]),
        (C("emp_ded") > 0, R["EMPLOYMENT_COST_DEDUCTED"]),
        (C("rigid_ded") > 0, R["RIGID_EXPENSE_DEDUCTED"]),
        (C("dibao_whole"), R["DIBAO_WHOLE_HOUSEHOLD"]),
        (C("dibao_whole") & ex.lit(not s.use_tiers), R["DIBAO_GAP"]),
        (C("dibao_whole") & ex.lit(s.use_tiers), R["DIBAO_TIERS"]),
        (C("dibao_single"), R["DIBAO_SINGLE_PERSON"]),
        (C("margin"), R["MARGIN"]),
        (C("rigid_difficulty"), R["RIGID_DIFFICULTY"]),
        (C("tekun_eligible"), R["TEKUN"]),
        (C("tekun_care") > 0, R["TEKUN_CARE"]),
        (C("grace_remaining") > 0, R["GRACE"]),
        (C("grace_excluded"), R["GRACE_EXCLUDED"]),
        (C("temp_eligible") & (C("temp_type") == "emergency"), R["TEMP_EMERGENCY"]),
        (C("temp_eligible") & (C("temp_type") == "expenditure"), R["TEMP_EXPENDITURE"]),
        (C("temp_case_conference"), R["TEMP_CASE_CONFERENCE"]),
        (C("medical_outpatient") > 0, R["MEDICAL_OUTPATIENT"]),
        (C("medical_inpatient") > 0, R["MEDICAL_INPATIENT"]),
        (C("medical_outpatient_capped") | C("medical_inpatient_capped"), R["MEDICAL_CAP_REACHED"]),
        (C("dibao_eligible") & ~C("tekun_eligible") & (C("income_irregular") | (C("able_db") > 0)),
         R["REVIEW_UNSTABLE"]),
        (C("tekun_eligible") & (C("n_db") > 0), R["TEKUN_SPLIT"]),
        (C("g_continuing") & (C("grace_months") > 0), R["GRACE_CONTINUED"]),
        ((C("grace_months") > 0) & (C("grace_remaining") == 0), R["GRACE_ENDED"]),
        (C("grace_adjusted"), R["GRACE_MONTHS_ADJUSTED"]),
    ])


def reasons_mask(ex: Any, s: Scalars) -> Any:
    C = ex.col  # polars.col or rowexpr.col
    R = REASON_BIT
    not_db = ~C("dibao_eligible")
    leaving = C("on_dibao") & not_db
    rigid = s.rigid_bp is not None and s.disp_u is not None and s.disp_r is not None
    return bits(ex, [
        (C("n") == 0, R["NO_COUNTED_MEMBER"]),
        (ex.lit(not s.has_std), R["NO_STANDARD"]),
        (not_db & (C("countable_db") >= C("threshold_db")) & (C("n_db") > 0), R["INCOME_NOT_BELOW_STANDARD"]),
        (~C("fin_ok"), R["PROPERTY_FINANCIAL"]),
        (~C("veh_ok"), R["PROPERTY_VEHICLE"]),
        (~C("re_ok"), R["PROPERTY_REAL_ESTATE"]),
        (~C("biz_ok"), R["PROPERTY_BUSINESS"]),
        (not_db & ~C("margin") & C("property_ok") & (C("n_db") > 0), R["NOT_MARGIN"]),
        (C("tk_target_n") == 0, R["TEKUN_NO_TARGET"]),
        ((C("tk_target_n") > 0) & (C("tk_income_ok_n") == 0), R["TEKUN_HAS_INCOME"]),
        (C("tk_sup_blocked_n") > 0, R["TEKUN_ABLE_SUPPORTER"]),
        (ex.lit(not rigid), R["RIGID_NOT_IN_FORCE"]),
        (ex.lit(rigid) & ~C("rigid_income_ok"), R["RIGID_INCOME_TOO_HIGH"]),
        (ex.lit(rigid) & ~C("rigid_ratio_ok"), R["RIGID_RATIO_NOT_EXCEEDED"]),
        (ex.lit(rigid) & (C("dibao_eligible") | C("tekun_eligible") | C("margin")), R["RIGID_OTHER_PROGRAM"]),
        ((C("temp_type") == "expenditure").fill_null(False) & ~C("temp_income_ok"), R["TEMP_INCOME_TOO_HIGH"]),
        (C("temp_type").is_not_null() & C("temp_max").is_null(), R["TEMP_NO_BAND"]),
        (leaving & C("rise_reason").is_not_null() & (C("rise_reason") != "employment") & ~C("grace_excluded"),
         R["GRACE_NOT_EMPLOYMENT"]),
        ((C("n") > 0) & (C("n_db") == 0), R["DIBAO_ALL_TEKUN"]),
    ])
