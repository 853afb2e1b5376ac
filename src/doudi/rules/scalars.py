"""Parameter values the rules need, resolved once per (policy version, date): plain ints and tuples, ``None`` when
the profile has no value in force. The rules never read a profile key anywhere else."""

from __future__ import annotations

from typing import Any

from doudi.rules.exprs import int_mul_bp, round_yuan_int
from doudi.rules.kinds import EXPENSE_KINDS, INCOME_KINDS, WORK_ABILITY
from doudi.rules.params import Params

MEDICAL_KEYS = ("outpatient_chronic", "inpatient", "premium")
MEDICAL_CATS = ("tekun", "dibao", "margin")


class Scalars:
    """Everything the expressions read from ``Params`` (money in fen, ratios in basis points)."""

    def __init__(self, p: Params):
        g = p.get
        self.std_u: int | None = g("dibao.standard.urban")
        self.std_r: int | None = g("dibao.standard.rural")
        self.has_std = self.std_u is not None and self.std_r is not None
        su, sr = self.std_u or 0, self.std_r or 0
        self.su, self.sr = su, sr
        self.method = g("dibao.amount_method", "gap")
        self.tiers: tuple[tuple[int, int], ...] = tuple(g("dibao.tiers") or ())
        self.use_tiers = self.method == "tiers" and bool(self.tiers)
        self._income(g)
        self._property(g)
        self.single = bool(g("dibao.single_person.enabled", False))
        self.margin_bp = g("margin.multiple")
        self.rigid_bp = g("rigid.ratio_threshold")
        self.rigid_valid = g("rigid.validity_months")
        self.disp_u = g("prior_year_disposable_income.urban")
        self.disp_r = g("prior_year_disposable_income.rural")
        self._labour(g)
        self._tekun(g, su, sr)
        self._grace(g)
        self.bands = [dict(b) for b in (g("temporary.bands") or ())]
        self.township_limit = g("temporary.township_limit")
        self.conference_above = g("temporary.case_conference_above")
        self.emergency_hours = g("temporary.emergency_payment_hours")
        self.med = {(kind, cat): (g(f"medical.{kind}.{cat}.rate"), g(f"medical.{kind}.{cat}.cap"))
                    for kind in MEDICAL_KEYS for cat in MEDICAL_CATS}
        self.review = {k: g(f"review.months.{k}") for k in ("tekun", "stable", "unstable", "special")}
        self._special(g)

    def _income(self, g: Any) -> None:
        min_wage = g("min_wage.monthly") or 0
        ec = g("dibao.employment_cost.method", "none")
        if ec == "fixed":
            self.emp_cost = g("dibao.employment_cost.fixed") or 0
        elif ec == "min_wage_share":
            self.emp_cost = int_mul_bp(min_wage, g("dibao.employment_cost.min_wage_share") or 0)
        else:
            self.emp_cost = 0
        self.rigid_kinds = [f"exp_{k}" for k in (g("dibao.rigid_expense_deduction") or ()) if k in EXPENSE_KINDS]
        excl = set(g("income.excluded_kinds") or ())
        self.inc_cols = [f"inc_{k}" for k in INCOME_KINDS if k not in excl]
        self.excl_cols = [f"inc_{k}" for k in INCOME_KINDS if k in excl]
        tk_excl = set(g("tekun.excluded_kinds") or ())
        self.tk_inc_cols = [f"inc_{k}" for k in INCOME_KINDS if k not in tk_excl]

    def _property(self, g: Any) -> None:
        # Financial assets per person: months × the 低保 standard, or a fixed amount per person (S1 Art 14: local).
        per_person = g("dibao.property.financial_per_person")
        by_amount = g("dibao.property.financial_method", "months") == "per_person" and per_person is not None
        self.fin_per_person: int | None = per_person if by_amount else None
        self.fin_months = None if by_amount else g("dibao.property.financial_months")
        self.max_veh = g("dibao.property.max_vehicles")
        self.max_veh_value = g("dibao.property.max_vehicle_value")
        self.max_re = g("dibao.property.max_extra_real_estate")
        self.max_biz = g("dibao.property.max_business_registrations")

    def _labour(self, g: Any) -> None:
        # Working age (S2 Art 5: under 16 and 60 or over have no ability to work) and how an assessed partial loss
        # of work ability counts; ``None`` = not in force on this date (nobody is of working age then).
        self.labour_min: int | None = g("labour.min_age")
        self.labour_max: int | None = g("labour.max_age")
        self.partial_able = bool(g("labour.partial_is_able", True))
        able = ["full", "partial"] if self.partial_able else ["full"]
        self.able_levels = [w for w in WORK_ABILITY if w in able]

    def _tekun(self, g: Any, su: int, sr: int) -> None:
        # 特困 basic living per person, per area: multiple × base standard, rounded to the yuan.
        self.tk_basic = {}
        for area, own, word in (("u", su, "urban"), ("r", sr, "rural")):
            mult = g(f"tekun.basic_multiple.{word}")
            base = su if g(f"tekun.basic_base.{word}", "own") == "urban" else own
            self.tk_basic[area] = round_yuan_int(int_mul_bp(base, mult)) if mult is not None else 0
        prev_wage = g("min_wage.prior_year_monthly")
        self.tk_care = {
            tier: (round_yuan_int(int_mul_bp(prev_wage, g(f"tekun.care_share.{tier}")))
                   if prev_wage is not None and g(f"tekun.care_share.{tier}") is not None else 0)
            for tier in ("complete", "partial", "able")
        }
        self.minor_age = g("tekun.minor_age")
        self.school_ext = bool(g("tekun.school_extension", False))
        self.sup_dibao_age = g("tekun.supporter_dibao_age")
        self.sup_elderly_age = g("tekun.supporter_elderly_age")
        self.sup_unable_work = list(g("tekun.supporter_unable_work_ability") or ())

    def _special(self, g: Any) -> None:
        # Special groups (rules.special): monthly standards in fen (``None`` = not in force: nobody qualifies).
        self.sp_orphan = g("special.orphan.standard")
        self.sp_unsupported = g("special.unsupported_child.standard")
        self.sp_child_age = g("special.child.max_age")
        self.sp_school_ext = bool(g("special.unsupported_child.school_extension", False))
        self.sp_extra_parent = tuple(g("special.unsupported_child.extra_parent_statuses") or ())
        self.sp_living = g("special.disabled_living.standard")
        self.sp_living_cats = tuple(g("special.disabled_living.categories") or ())
        self.sp_care_severe = g("special.disabled_care.standard.severe")
        self.sp_care_extended = g("special.disabled_care.standard.extended")
        self.sp_care_ext_types = tuple(g("special.disabled_care.extended_types") or ())
        self.sp_excluded = {p: tuple(g(f"special.{p}.excluded_with") or ())
                            for p in ("orphan", "disabled_living", "disabled_care")}

    def _grace(self, g: Any) -> None:
        self.grace_months = g("grace.months") or 0
        self.grace_min = g("grace.min_months")
        self.grace_max = g("grace.max_months")
        self.grace_special_max = g("grace.special_max_months")
        self.grace_rp = g("grace.registered_poor_months")
        self.grace_excluded = list(g("grace.excluded_reasons") or ())
