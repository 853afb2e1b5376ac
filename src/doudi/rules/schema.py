"""Household JSON → engine frames (households, members, supporters), with Chinese validation errors.

The JSON schema is documented in docs/engine.md. All money fields are **integer fen** (分); floats are refused.
The same column layout is produced by the synthetic generator, so one code path evaluates one household or
millions.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from doudi.rules import inputs as v
from doudi.rules.inputs import InputError
from doudi.rules.kinds import (
    EXPENSE_KINDS,
    INCOME_KINDS,
    RISE_REASONS,
    TEMP_CAUSES,
    TEMP_SEVERITY,
    TEMP_TYPES,
)

__all__ = ["HOUSEHOLD_SCHEMA", "MEMBER_SCHEMA", "SUPPORTER_SCHEMA", "InputError", "households_to_columns",
           "households_to_frames", "households_to_rows"]

I64 = pl.Int64
HOUSEHOLD_SCHEMA: dict[str, pl.DataType] = {
    "hh_id": pl.String,
    "is_urban": pl.Boolean,
    "registered_poor": pl.Boolean,
    "income_irregular": pl.Boolean,
    "on_dibao": pl.Boolean,
    "current_amount": I64,
    "rise_reason": pl.String,
    "rise_month": I64,  # month index (year × 12 + month − 1) of the income rise
    "grace_start": I64,  # month index: a 渐退 period already granted started then …
    "grace_granted": I64,  # … for this many months (never granted again, never restarted)
    "grace_requested": I64,  # months asked for a new grant (checked against the profile's range)
    "grace_special": pl.Boolean,  # special case: the profile's special maximum applies
    "rigid_12m": I64,
    "income_12m": I64,
    "fin_assets": I64,
    "vehicles": I64,
    "vehicle_value": I64,
    "extra_real_estate": I64,
    "business_regs": I64,
    "temp_type": pl.String,
    "temp_cause": pl.String,
    "temp_severity": pl.String,
    "temp_persons": I64,
    "temp_requested": I64,
    "med_outpatient_oop": I64,
    "med_inpatient_oop": I64,
    "med_ytd_outpatient": I64,
    "med_ytd_inpatient": I64,
}
MEMBER_SCHEMA: dict[str, pl.DataType] = {
    "hh_id": pl.String,
    "bit": I64,  # 1 << the member's position in its household
    "sup_mask": I64,  # bits of the co-resident members obliged to support this member
    "ext_mask": I64,  # bits of the household's supporters living elsewhere obliged to support this member
    "relationship": pl.String,
    "co_resident": pl.Boolean,
    "date_of_death": pl.Date,
    "no_civil_capacity": pl.Boolean,
    "m_income_12m": I64,  # the member's income over the 12 months before (刚性支出困难), null = not given
    "m_rigid_12m": I64,  # the member's rigid expenditure over the same 12 months
    "birth_date": pl.Date,
    "imprisoned": pl.Boolean,
    "compulsory_rehab": pl.Boolean,
    "declared_missing": pl.Boolean,
    "clergy_apart_since": pl.Date,
    "full_time_student": pl.Boolean,
    "school_level": pl.String,
    "employed": pl.Boolean,
    "dis_type": pl.String,
    "dis_grade": I64,
    "serious_illness": pl.Boolean,
    "self_care_failed": I64,
    "work_ability": pl.String,
    **{f"inc_{k}": I64 for k in INCOME_KINDS},
    **{f"exp_{k}": I64 for k in EXPENSE_KINDS},
}
SUPPORTER_SCHEMA: dict[str, pl.DataType] = {
    "hh_id": pl.String,
    "bit": I64,  # 1 << the supporter's position among the household's supporters
    "work_ability": pl.String,
    "age": I64,
    "is_tekun": pl.Boolean,
    "is_dibao": pl.Boolean,
    "income_12m": I64,
    "severe_disability": pl.Boolean,
    "no_civil_capacity": pl.Boolean,
    "missing": pl.Boolean,
    "imprisoned": pl.Boolean,
    "property_ok": pl.Boolean,
}



_HH_KEYS = {"id", "area", "members", "supporters", "assets", "current", "temporary", "medical", "rigid_expense_12m",
            "income_12m", "registered_poor", "income_irregular"}
_ASSET_KEYS = {"deposits", "securities", "insurance", "internet_finance", "vehicle_count", "vehicle_value",
               "vehicles_exempt", "extra_real_estate", "business_registrations", "business_exempt"}
_CURRENT_KEYS = {"on_dibao", "amount", "income_rise_reason", "income_rose_on", "grace_start_month",
                 "grace_months_granted", "grace_months", "grace_special"}
_MEDICAL_KEYS = {"outpatient_chronic_oop", "inpatient_oop", "ytd_outpatient_paid", "ytd_inpatient_paid", "claims",
                 "ytd"}

Columns = dict[str, list[Any]]


def households_to_frames(
    households: list[dict[str, Any]],
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Validate household dicts and build the three engine frames. Raises InputError naming the field."""
    hh, mem, sup = households_to_columns(households)
    return _frame(hh, HOUSEHOLD_SCHEMA), _frame(mem, MEMBER_SCHEMA), _frame(sup, SUPPORTER_SCHEMA)


def households_to_rows(
    households: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[list[dict[str, Any]]], list[list[dict[str, Any]]]]:
    """Validate household dicts; per household its row, its members' rows and its supporters' rows (the frames'
    columns and values, for ``engine.evaluate_rows``). Raises InputError naming the field."""
    hh, mem, sup = households_to_columns(households)
    rows = _rows(hh)
    members: dict[str, list[dict[str, Any]]] = {r["hh_id"]: [] for r in rows}
    supporters: dict[str, list[dict[str, Any]]] = {r["hh_id"]: [] for r in rows}
    for m in _rows(mem):
        members[m["hh_id"]].append(m)
    for s in _rows(sup):
        supporters[s["hh_id"]].append(s)
    return rows, list(members.values()), list(supporters.values())


def _rows(cols: Columns) -> list[dict[str, Any]]:
    keys = list(cols)
    return [dict(zip(keys, values, strict=True)) for values in zip(*cols.values(), strict=True)]


def households_to_columns(households: list[dict[str, Any]]) -> tuple[Columns, Columns, Columns]:
    """Validate household dicts into the three frames' columns (lists). Raises InputError naming the field."""
    hh: Columns = {k: [] for k in HOUSEHOLD_SCHEMA}
    mem: Columns = {k: [] for k in MEMBER_SCHEMA}
    sup: Columns = {k: [] for k in SUPPORTER_SCHEMA}
    seen: set[str] = set()
    if not isinstance(households, list):
        raise InputError("households", "须为家庭对象列表")
    for i, h in enumerate(households):
        p = f"households[{i}]" if len(households) > 1 else ""
        h = v.obj(h, p or "household")
        v.check_keys(h, _HH_KEYS, p)
        pre = f"{p}." if p else ""
        hid = str(h.get("id", i))
        if hid in seen:
            raise InputError(f"{pre}id", f"家庭编号“{hid}”重复")
        seen.add(hid)
        row = {"hh_id": hid, **_household(h, p or "household", pre)}
        for k, x in row.items():
            hh[k].append(x)
        _people(h, hid, pre, mem, sup)
    return hh, mem, sup


def _household(h: dict[str, Any], p: str, pre: str) -> dict[str, Any]:
    area = h.get("area")
    if area not in ("urban", "rural"):
        raise InputError(f"{pre}area", "须为 urban（城市）或 rural（农村）")
    row: dict[str, Any] = {
        "is_urban": area == "urban",
        "registered_poor": v.flag(h, "registered_poor", p),
        "income_irregular": v.flag(h, "income_irregular", p),
        "rigid_12m": v.fen(h, "rigid_expense_12m", p),
        "income_12m": v.fen(h, "income_12m", p, default=None),
    }
    ap = f"{pre}assets"
    a = v.obj(h.get("assets") or {}, ap)
    v.check_keys(a, _ASSET_KEYS, ap)
    row["fin_assets"] = sum(v.fen(a, k, ap) or 0 for k in ("deposits", "securities", "insurance", "internet_finance"))
    exempt_v = v.flag(a, "vehicles_exempt", ap)
    row["vehicles"] = 0 if exempt_v else v.count(a, "vehicle_count", ap)
    row["vehicle_value"] = 0 if exempt_v else v.fen(a, "vehicle_value", ap)
    row["extra_real_estate"] = v.count(a, "extra_real_estate", ap)
    row["business_regs"] = 0 if v.flag(a, "business_exempt", ap) else v.count(a, "business_registrations", ap)
    row.update(_current(v.obj(h.get("current") or {}, f"{pre}current"), f"{pre}current"))
    row.update(_temporary(v.obj(h.get("temporary") or {}, f"{pre}temporary"), f"{pre}temporary"))
    mp = f"{pre}medical"
    md = v.obj(h.get("medical") or {}, mp)
    v.check_keys(md, _MEDICAL_KEYS, mp)
    row["med_outpatient_oop"] = v.fen(md, "outpatient_chronic_oop", mp)
    row["med_inpatient_oop"] = v.fen(md, "inpatient_oop", mp)
    row["med_ytd_outpatient"] = v.fen(md, "ytd_outpatient_paid", mp)
    row["med_ytd_inpatient"] = v.fen(md, "ytd_inpatient_paid", mp)
    return row


def _current(c: dict[str, Any], cp: str) -> dict[str, Any]:
    v.check_keys(c, _CURRENT_KEYS, cp)
    rose = v.date(c, "income_rose_on", cp)
    start = v.month(c, "grace_start_month", cp)
    granted = v.count(c, "grace_months_granted", cp, default=None)
    if (start is None) != (granted is None):
        raise InputError(f"{cp}.grace_start_month", "渐退起始月与已给予的渐退月数须同时填写")
    return {
        "on_dibao": v.flag(c, "on_dibao", cp),
        "current_amount": v.fen(c, "amount", cp),
        "rise_reason": v.choice(c, "income_rise_reason", cp, RISE_REASONS),
        "rise_month": None if rose is None else rose.year * 12 + rose.month - 1,
        "grace_start": start,
        "grace_granted": granted,
        "grace_requested": v.count(c, "grace_months", cp, default=None),
        "grace_special": v.flag(c, "grace_special", cp),
    }


def _temporary(t: dict[str, Any], tp: str) -> dict[str, Any]:
    v.check_keys(t, {"type", "cause", "severity", "persons", "requested"}, tp)
    ttype = v.choice(t, "type", tp, TEMP_TYPES)
    if t and ttype is None:
        raise InputError(f"{tp}.type", "必填（emergency 急难型 / expenditure 支出型）")
    return {
        "temp_type": ttype,
        "temp_cause": v.choice(t, "cause", tp, TEMP_CAUSES, default="other" if ttype else None),
        "temp_severity": v.choice(t, "severity", tp, TEMP_SEVERITY, default="general" if ttype else None),
        "temp_persons": v.count(t, "persons", tp, default=None),
        "temp_requested": v.fen(t, "requested", tp, default=None),
    }


def _people(h: dict[str, Any], hid: str, pre: str, mem: Columns, sup: Columns) -> None:
    members = h.get("members")
    if not isinstance(members, list) or not members:
        raise InputError(f"{pre}members", "须为至少一名成员的列表")
    members = [v.obj(m, f"{pre}members[{j}]") for j, m in enumerate(members)]
    sups = h.get("supporters") or []
    if not isinstance(sups, list):
        raise InputError(f"{pre}supporters", "须为列表")
    sups = [v.obj(s, f"{pre}supporters[{j}]") for j, s in enumerate(sups)]
    rows = [v.member_row(m, f"{pre}members[{j}]") for j, m in enumerate(members)]
    srows = [v.supporter_row(s, f"{pre}supporters[{j}]") for j, s in enumerate(sups)]
    masks = v.supporter_masks(members, sups, pre)
    for j, (row, (co, ext)) in enumerate(zip(rows, masks, strict=True)):
        for k, x in {"hh_id": hid, "bit": 1 << j, "sup_mask": co, "ext_mask": ext, **row}.items():
            mem[k].append(x)
    for j, row in enumerate(srows):
        for k, x in {"hh_id": hid, "bit": 1 << j, **row}.items():
            sup[k].append(x)


def households_to_claims(households: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The validated medical claims of each household (``medical.claims``; empty lists when none)."""
    return [v.claims(h, f"households[{i}]." if len(households) > 1 else "") for i, h in enumerate(households)]


def _frame(cols: dict[str, list[Any]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    # Row-oriented construction converts all values in one call: ~4× faster than one Series per column for the
    # handful of rows of a single household (same values and dtypes).
    return pl.DataFrame(list(zip(*cols.values(), strict=True)), schema=schema, orient="row")
