"""Household JSON → engine frames (households, members, supporters), with Chinese validation errors.

The JSON schema is documented in docs/engine.md. All money fields are **integer fen** (分); floats are refused.
The same column layout is produced by the synthetic generator, so one code path evaluates one household or
millions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from doudi.rules.kinds import (
    DISABILITY_TYPES,
    EXPENSE_KINDS,
    INCOME_KINDS,
    RISE_REASONS,
    SCHOOL_LEVELS,
    TEMP_CAUSES,
    TEMP_TYPES,
    WORK_ABILITY,
)

I64 = pl.Int64
HOUSEHOLD_SCHEMA: dict[str, pl.DataType] = {
    "hh_id": pl.String,
    "is_urban": pl.Boolean,
    "registered_poor": pl.Boolean,
    "income_irregular": pl.Boolean,
    "on_dibao": pl.Boolean,
    "current_amount": I64,
    "rise_reason": pl.String,
    "rigid_12m": I64,
    "income_12m": I64,
    "fin_assets": I64,
    "vehicles": I64,
    "vehicle_value": I64,
    "extra_real_estate": I64,
    "business_regs": I64,
    "temp_type": pl.String,
    "temp_cause": pl.String,
    "temp_persons": I64,
    "temp_requested": I64,
    "med_outpatient_oop": I64,
    "med_inpatient_oop": I64,
    "med_ytd_outpatient": I64,
    "med_ytd_inpatient": I64,
}
MEMBER_SCHEMA: dict[str, pl.DataType] = {
    "hh_id": pl.String,
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
SELF_CARE_ITEMS = ("eating", "dressing", "bed_transfer", "toileting", "indoor_walking", "bathing")


class InputError(ValueError):
    """Bad household input. ``field`` is the JSON path; the message is one Chinese line naming it."""

    def __init__(self, field: str, message: str):
        super().__init__(f"输入数据错误：{field}：{message}")
        self.field = field


def _obj(v: Any, path: str) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise InputError(path, "须为对象")
    return v


def _check_keys(d: dict[str, Any], allowed: set[str], path: str) -> None:
    unknown = sorted(set(d) - allowed)
    if unknown:
        raise InputError(f"{path}.{unknown[0]}" if path else unknown[0], "未知字段")


def _fen(d: dict[str, Any], key: str, path: str, *, default: int | None = 0) -> int | None:
    v = d.get(key, default)
    if v is None:
        return default
    if isinstance(v, bool) or not isinstance(v, int):
        raise InputError(f"{path}.{key}", "金额须为整数（单位：分），不能是小数或文本")
    if v < 0:
        raise InputError(f"{path}.{key}", "金额不能为负数")
    return v


def _count(d: dict[str, Any], key: str, path: str, default: int | None = 0) -> int | None:
    v = d.get(key, default)
    if v is None:
        return default
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise InputError(f"{path}.{key}", "须为非负整数")
    return v


def _flag(d: dict[str, Any], key: str, path: str) -> bool:
    v = d.get(key, False)
    if v is None:
        return False
    if not isinstance(v, bool):
        raise InputError(f"{path}.{key}", "须为 true 或 false")
    return v


def _date(d: dict[str, Any], key: str, path: str, *, required: bool = False) -> dt.date | None:
    v = d.get(key)
    if v is None:
        if required:
            raise InputError(f"{path}.{key}", "必填")
        return None
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        raise InputError(f"{path}.{key}", f"“{v}”不是 YYYY-MM-DD 日期") from None


def _choice(d: dict[str, Any], key: str, path: str, options: Any, *, default: str | None = None) -> str | None:
    v = d.get(key, default)
    if v is None:
        return default
    if v not in options:
        raise InputError(f"{path}.{key}", f"“{v}”不是可选值（{', '.join(options)}）")
    return v


_HH_KEYS = {"id", "area", "members", "supporters", "assets", "current", "temporary", "medical", "rigid_expense_12m",
            "income_12m", "registered_poor", "income_irregular"}
_MEMBER_KEYS = {"id", "name", "birth_date", "relationship", "imprisoned", "compulsory_rehab", "declared_missing",
                "clergy_apart_since", "full_time_student", "school_level", "income", "employed", "disability",
                "serious_illness", "self_care", "self_care_failed", "work_ability", "rigid_expenses"}
_SUP_KEYS = {"id", "relationship", "age", "is_tekun", "is_dibao", "income_12m", "severe_disability",
             "no_civil_capacity", "missing", "imprisoned", "property_ok"}
_ASSET_KEYS = {"deposits", "securities", "insurance", "internet_finance", "vehicle_count", "vehicle_value",
               "vehicles_exempt", "extra_real_estate", "business_registrations", "business_exempt"}


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
    hh: dict[str, list[Any]] = {k: [] for k in HOUSEHOLD_SCHEMA}
    mem: dict[str, list[Any]] = {k: [] for k in MEMBER_SCHEMA}
    sup: dict[str, list[Any]] = {k: [] for k in SUPPORTER_SCHEMA}
    seen: set[str] = set()
    if not isinstance(households, list):
        raise InputError("households", "须为家庭对象列表")
    for i, h in enumerate(households):
        p = f"households[{i}]" if len(households) > 1 else ""
        h = _obj(h, p or "household")
        _check_keys(h, _HH_KEYS, p)
        pre = f"{p}." if p else ""
        hid = str(h.get("id", i))
        if hid in seen:
            raise InputError(f"{pre}id", f"家庭编号“{hid}”重复")
        seen.add(hid)
        area = h.get("area")
        if area not in ("urban", "rural"):
            raise InputError(f"{pre}area", "须为 urban（城市）或 rural（农村）")
        hh["hh_id"].append(hid)
        hh["is_urban"].append(area == "urban")
        hh["registered_poor"].append(_flag(h, "registered_poor", p or "household"))
        hh["income_irregular"].append(_flag(h, "income_irregular", p or "household"))
        hh["rigid_12m"].append(_fen(h, "rigid_expense_12m", p or "household"))
        hh["income_12m"].append(_fen(h, "income_12m", p or "household", default=None))

        ap = f"{pre}assets"
        a = _obj(h.get("assets") or {}, ap)
        _check_keys(a, _ASSET_KEYS, ap)
        hh["fin_assets"].append(sum(_fen(a, k, ap) or 0 for k in ("deposits", "securities", "insurance",
                                                                   "internet_finance")))
        exempt_v = _flag(a, "vehicles_exempt", ap)
        hh["vehicles"].append(0 if exempt_v else _count(a, "vehicle_count", ap))
        hh["vehicle_value"].append(0 if exempt_v else _fen(a, "vehicle_value", ap))
        hh["extra_real_estate"].append(_count(a, "extra_real_estate", ap))
        hh["business_regs"].append(0 if _flag(a, "business_exempt", ap) else _count(a, "business_registrations", ap))

        cp = f"{pre}current"
        c = _obj(h.get("current") or {}, cp)
        _check_keys(c, {"on_dibao", "amount", "income_rise_reason"}, cp)
        hh["on_dibao"].append(_flag(c, "on_dibao", cp))
        hh["current_amount"].append(_fen(c, "amount", cp))
        hh["rise_reason"].append(_choice(c, "income_rise_reason", cp, RISE_REASONS))

        tp = f"{pre}temporary"
        t = _obj(h.get("temporary") or {}, tp)
        _check_keys(t, {"type", "cause", "persons", "requested"}, tp)
        ttype = _choice(t, "type", tp, TEMP_TYPES)
        if t and ttype is None:
            raise InputError(f"{tp}.type", "必填（emergency 急难型 / expenditure 支出型）")
        hh["temp_type"].append(ttype)
        hh["temp_cause"].append(_choice(t, "cause", tp, TEMP_CAUSES, default="other" if ttype else None))
        hh["temp_persons"].append(_count(t, "persons", tp, default=None))
        hh["temp_requested"].append(_fen(t, "requested", tp, default=None))

        mp = f"{pre}medical"
        md = _obj(h.get("medical") or {}, mp)
        _check_keys(md, {"outpatient_chronic_oop", "inpatient_oop", "ytd_outpatient_paid", "ytd_inpatient_paid"}, mp)
        hh["med_outpatient_oop"].append(_fen(md, "outpatient_chronic_oop", mp))
        hh["med_inpatient_oop"].append(_fen(md, "inpatient_oop", mp))
        hh["med_ytd_outpatient"].append(_fen(md, "ytd_outpatient_paid", mp))
        hh["med_ytd_inpatient"].append(_fen(md, "ytd_inpatient_paid", mp))

        members = h.get("members")
        if not isinstance(members, list) or not members:
            raise InputError(f"{pre}members", "须为至少一名成员的列表")
        for j, m in enumerate(members):
            _member(mem, hid, _obj(m, f"{pre}members[{j}]"), f"{pre}members[{j}]")
        sups = h.get("supporters") or []
        if not isinstance(sups, list):
            raise InputError(f"{pre}supporters", "须为列表")
        for j, s in enumerate(sups):
            sp = f"{pre}supporters[{j}]"
            s = _obj(s, sp)
            _check_keys(s, _SUP_KEYS, sp)
            sup["hh_id"].append(hid)
            age = _count(s, "age", sp, default=None)
            if age is None:
                raise InputError(f"{sp}.age", "必填")
            sup["age"].append(age)
            for k in ("is_tekun", "is_dibao", "severe_disability", "no_civil_capacity", "missing", "imprisoned"):
                sup[k].append(_flag(s, k, sp))
            sup["income_12m"].append(_fen(s, "income_12m", sp))
            po = s.get("property_ok", True)
            if not isinstance(po, bool):
                raise InputError(f"{sp}.property_ok", "须为 true 或 false")
            sup["property_ok"].append(po)
    return hh, mem, sup


def _frame(cols: dict[str, list[Any]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    # Row-oriented construction converts all values in one call: ~4× faster than one Series per column for the
    # handful of rows of a single household (same values and dtypes).
    return pl.DataFrame(list(zip(*cols.values(), strict=True)), schema=schema, orient="row")


def _member(mem: dict[str, list[Any]], hid: str, m: dict[str, Any], p: str) -> None:
    _check_keys(m, _MEMBER_KEYS, p)
    mem["hh_id"].append(hid)
    mem["birth_date"].append(_date(m, "birth_date", p, required=True))
    for k in ("imprisoned", "compulsory_rehab", "declared_missing", "full_time_student", "employed",
              "serious_illness"):
        mem[k].append(_flag(m, k, p))
    mem["clergy_apart_since"].append(_date(m, "clergy_apart_since", p))
    mem["school_level"].append(_choice(m, "school_level", p, SCHOOL_LEVELS))
    mem["work_ability"].append(_choice(m, "work_ability", p, WORK_ABILITY, default="full"))
    inc = _obj(m.get("income") or {}, f"{p}.income")
    _check_keys(inc, set(INCOME_KINDS), f"{p}.income")
    for k in INCOME_KINDS:
        mem[f"inc_{k}"].append(_fen(inc, k, f"{p}.income"))
    exp = _obj(m.get("rigid_expenses") or {}, f"{p}.rigid_expenses")
    _check_keys(exp, set(EXPENSE_KINDS), f"{p}.rigid_expenses")
    for k in EXPENSE_KINDS:
        mem[f"exp_{k}"].append(_fen(exp, k, f"{p}.rigid_expenses"))
    dis = m.get("disability")
    if dis:
        dp = f"{p}.disability"
        dis = _obj(dis, dp)
        _check_keys(dis, {"type", "grade"}, dp)
        mem["dis_type"].append(_choice(dis, "type", dp, DISABILITY_TYPES))
        g = dis.get("grade")
        if isinstance(g, bool) or g not in (1, 2, 3, 4):
            raise InputError(f"{dp}.grade", "残疾等级须为 1–4")
        mem["dis_grade"].append(g)
    else:
        mem["dis_type"].append(None)
        mem["dis_grade"].append(0)
    # Self-care (S2 Art 21): either the six activities as booleans (true = can do it) or the failed count.
    sc = m.get("self_care")
    if sc is not None:
        scp = f"{p}.self_care"
        sc = _obj(sc, scp)
        _check_keys(sc, set(SELF_CARE_ITEMS), scp)
        failed = 0
        for k in SELF_CARE_ITEMS:
            v = sc.get(k, True)
            if not isinstance(v, bool):
                raise InputError(f"{scp}.{k}", "须为 true（能完成）或 false（不能完成）")
            failed += not v
    else:
        failed = _count(m, "self_care_failed", p)
        if failed > 6:
            raise InputError(f"{p}.self_care_failed", "须为 0–6")
    mem["self_care_failed"].append(failed)
