"""Validation of the household JSON's parts (docs/engine.md), each error one Chinese line naming the JSON path.

``schema`` assembles the frames from these; nothing here knows a policy parameter.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from doudi.rules.kinds import (
    DISABILITY_TYPES,
    EXPENSE_KINDS,
    INCOME_KINDS,
    MEDICAL_KINDS,
    OBLIGED_RELATIONSHIPS,
    PARENT_STATUS,
    RELATIONSHIPS,
    SCHOOL_LEVELS,
    WORK_ABILITY,
)

SELF_CARE_ITEMS = ("eating", "dressing", "bed_transfer", "toileting", "indoor_walking", "bathing")
MAX_LINKED = 62  # members or supporters per household: their positions are bits of an Int64 mask


class InputError(ValueError):
    """Bad household input. ``field`` is the JSON path; the message is one Chinese line naming it."""

    def __init__(self, field: str, message: str):
        super().__init__(f"输入数据错误：{field}：{message}")
        self.field = field


def obj(v: Any, path: str) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise InputError(path, "须为对象")
    return v


def check_keys(d: dict[str, Any], allowed: set[str], path: str) -> None:
    unknown = sorted(set(d) - allowed)
    if unknown:
        raise InputError(f"{path}.{unknown[0]}" if path else unknown[0], "未知字段")


def fen(d: dict[str, Any], key: str, path: str, *, default: int | None = 0) -> int | None:
    v = d.get(key, default)
    if v is None:
        return default
    if isinstance(v, bool) or not isinstance(v, int):
        raise InputError(f"{path}.{key}", "金额须为整数（单位：分），不能是小数或文本")
    if v < 0:
        raise InputError(f"{path}.{key}", "金额不能为负数")
    return v


def count(d: dict[str, Any], key: str, path: str, default: int | None = 0) -> int | None:
    v = d.get(key, default)
    if v is None:
        return default
    if isinstance(v, bool) or not isinstance(v, int) or v < 0:
        raise InputError(f"{path}.{key}", "须为非负整数")
    return v


def flag(d: dict[str, Any], key: str, path: str, default: bool = False) -> bool:
    v = d.get(key, default)
    if v is None:
        return default
    if not isinstance(v, bool):
        raise InputError(f"{path}.{key}", "须为 true 或 false")
    return v


def date(d: dict[str, Any], key: str, path: str, *, required: bool = False) -> dt.date | None:
    v = d.get(key)
    if v is None:
        if required:
            raise InputError(f"{path}.{key}", "必填")
        return None
    try:
        return dt.date.fromisoformat(str(v))
    except ValueError:
        raise InputError(f"{path}.{key}", f"“{v}”不是 YYYY-MM-DD 日期") from None


def month(d: dict[str, Any], key: str, path: str) -> int | None:
    """A "YYYY-MM" month as a month index (year × 12 + month − 1)."""
    v = d.get(key)
    if v is None:
        return None
    try:
        day = dt.date.fromisoformat(f"{v}-01")
    except ValueError:
        raise InputError(f"{path}.{key}", f"“{v}”不是 YYYY-MM 月份") from None
    return day.year * 12 + day.month - 1


def choice(d: dict[str, Any], key: str, path: str, options: Any, *, default: str | None = None) -> str | None:
    v = d.get(key, default)
    if v is None:
        return default
    if v not in options:
        raise InputError(f"{path}.{key}", f"“{v}”不是可选值（{', '.join(options)}）")
    return v


MEMBER_KEYS = {"id", "name", "birth_date", "relationship", "imprisoned", "compulsory_rehab", "declared_missing",
               "clergy_apart_since", "full_time_student", "school_level", "income", "employed", "disability",
               "serious_illness", "self_care", "self_care_failed", "work_ability", "rigid_expenses", "date_of_death",
               "co_resident", "no_civil_capacity", "supported_by", "income_12m", "rigid_expense_12m",
               "parents", "schooling_ended"}
SUPPORTER_KEYS = {"id", "relationship", "age", "is_tekun", "is_dibao", "income_12m", "severe_disability",
                  "no_civil_capacity", "missing", "imprisoned", "property_ok", "work_ability"}


def member_row(m: dict[str, Any], p: str) -> dict[str, Any]:
    """One member's frame values (without ``hh_id`` and the supporter masks)."""
    check_keys(m, MEMBER_KEYS, p)
    row: dict[str, Any] = {"birth_date": date(m, "birth_date", p, required=True)}
    for k in ("imprisoned", "compulsory_rehab", "declared_missing", "full_time_student", "employed",
              "serious_illness", "no_civil_capacity"):
        row[k] = flag(m, k, p)
    row["co_resident"] = flag(m, "co_resident", p, default=True)
    row["relationship"] = choice(m, "relationship", p, RELATIONSHIPS)
    row["date_of_death"] = date(m, "date_of_death", p)
    row["m_income_12m"] = fen(m, "income_12m", p, default=None)
    row["m_rigid_12m"] = fen(m, "rigid_expense_12m", p, default=None)
    row["clergy_apart_since"] = date(m, "clergy_apart_since", p)
    row["school_level"] = choice(m, "school_level", p, SCHOOL_LEVELS)
    row["work_ability"] = choice(m, "work_ability", p, WORK_ABILITY, default="full")
    inc = obj(m.get("income") or {}, f"{p}.income")
    check_keys(inc, set(INCOME_KINDS), f"{p}.income")
    for k in INCOME_KINDS:
        row[f"inc_{k}"] = fen(inc, k, f"{p}.income")
    exp = obj(m.get("rigid_expenses") or {}, f"{p}.rigid_expenses")
    check_keys(exp, set(EXPENSE_KINDS), f"{p}.rigid_expenses")
    for k in EXPENSE_KINDS:
        row[f"exp_{k}"] = fen(exp, k, f"{p}.rigid_expenses")
    row["dis_type"], row["dis_grade"] = _disability(m.get("disability"), f"{p}.disability")
    row["self_care_failed"] = _self_care_failed(m, p)
    parents(m, p)  # validated here; read by ``rules.special`` (not a frame column)
    schooling_ended(m, p)  # likewise
    return row


def parents(m: dict[str, Any], p: str) -> dict[str, str | None]:
    """A child's ``parents`` object: ``{"father": status, "mother": status}`` (``kinds.PARENT_STATUS``; a parent
    not named is taken as able to raise the child)."""
    v = m.get("parents")
    if v is None:
        return {"father": None, "mother": None}
    v = obj(v, f"{p}.parents")
    check_keys(v, {"father", "mother"}, f"{p}.parents")
    return {k: choice(v, k, f"{p}.parents", PARENT_STATUS) for k in ("father", "mother")}


def schooling_ended(m: dict[str, Any], p: str) -> list[dict[str, Any]]:
    """Schooling that has ended: ``[{"level": ..., "full_time": bool, "until": "YYYY-MM-DD"}]`` (the registry's
    past schooling records; ``rules.special`` ends the school extension with the last qualifying one)."""
    v = m.get("schooling_ended")
    if v is None:
        return []
    if not isinstance(v, list):
        raise InputError(f"{p}.schooling_ended", "须为数组")
    out = []
    for i, r in enumerate(v):
        rp = f"{p}.schooling_ended[{i}]"
        r = obj(r, rp)
        check_keys(r, {"level", "full_time", "until"}, rp)
        out.append({"level": choice(r, "level", rp, SCHOOL_LEVELS), "full_time": flag(r, "full_time", rp, True),
                    "until": date(r, "until", rp, required=True)})
    return out


def _disability(dis: Any, dp: str) -> tuple[str | None, int]:
    if not dis:
        return None, 0
    dis = obj(dis, dp)
    check_keys(dis, {"type", "grade"}, dp)
    g = dis.get("grade")
    if isinstance(g, bool) or g not in (1, 2, 3, 4):
        raise InputError(f"{dp}.grade", "残疾等级须为 1–4")
    return choice(dis, "type", dp, DISABILITY_TYPES), g


def _self_care_failed(m: dict[str, Any], p: str) -> int:
    # Self-care (S2 Art 21): either the six activities as booleans (true = can do it) or the failed count.
    sc = m.get("self_care")
    if sc is None:
        failed = count(m, "self_care_failed", p)
        if failed > 6:
            raise InputError(f"{p}.self_care_failed", "须为 0–6")
        return failed
    scp = f"{p}.self_care"
    sc = obj(sc, scp)
    check_keys(sc, set(SELF_CARE_ITEMS), scp)
    failed = 0
    for k in SELF_CARE_ITEMS:
        v = sc.get(k, True)
        if not isinstance(v, bool):
            raise InputError(f"{scp}.{k}", "须为 true（能完成）或 false（不能完成）")
        failed += not v
    return failed


def supporter_row(s: dict[str, Any], sp: str) -> dict[str, Any]:
    check_keys(s, SUPPORTER_KEYS, sp)
    age = count(s, "age", sp, default=None)
    if age is None:
        raise InputError(f"{sp}.age", "必填")
    row: dict[str, Any] = {"age": age}
    for k in ("is_tekun", "is_dibao", "severe_disability", "no_civil_capacity", "missing", "imprisoned"):
        row[k] = flag(s, k, sp)
    row["income_12m"] = fen(s, "income_12m", sp)
    row["property_ok"] = flag(s, "property_ok", sp, default=True)
    row["work_ability"] = choice(s, "work_ability", sp, WORK_ABILITY, default="full")
    return row


def supporter_masks(members: list[dict[str, Any]], supporters: list[dict[str, Any]],
                    pre: str) -> list[tuple[int, int]]:
    """Per member: (co-resident supporters' bits, supporters-elsewhere bits) of the persons obliged to support them.

    Explicit when any member has ``supported_by`` (the adapter always writes it): a link names a member's or a
    supporter's ``id`` and the supporter's relationship to the member; only spouses, parents and children are
    obliged (``kinds.OBLIGED_RELATIONSHIPS``). Otherwise presumed: every other member and every supporter."""
    if len(members) > MAX_LINKED or len(supporters) > MAX_LINKED:
        raise InputError(f"{pre}members", f"成员或义务人不能超过 {MAX_LINKED} 人")
    mids = [str(m.get("id", j)) for j, m in enumerate(members)]
    sids = [str(s.get("id", f"s{j}")) for j, s in enumerate(supporters)]
    every_ext = (1 << len(supporters)) - 1
    if not any("supported_by" in m for m in members):
        everyone = (1 << len(members)) - 1
        return [(everyone & ~(1 << j), every_ext) for j in range(len(members))]
    where = _id_positions(mids, sids, pre)
    out, named = [], 0
    for j, m in enumerate(members):
        lp = f"{pre}members[{j}].supported_by"
        links = m.get("supported_by") or []
        if not isinstance(links, list):
            raise InputError(lp, "须为列表")
        co = ext = 0
        for k, link in enumerate(links):
            kind, pos, rel = _link(link, f"{lp}[{k}]", where, j)
            if kind == "s":
                named |= 1 << pos
            if rel not in OBLIGED_RELATIONSHIPS:
                continue
            if kind == "m":
                co |= 1 << pos
            else:
                ext |= 1 << pos
        out.append((co, ext))
    for j in range(len(supporters)):
        if not named >> j & 1:
            raise InputError(f"{pre}supporters[{j}]", "未被任何成员的 supported_by 引用（须写明对哪位成员负有义务）")
    return out


def _id_positions(mids: list[str], sids: list[str], pre: str) -> dict[str, tuple[str, int]]:
    where: dict[str, tuple[str, int]] = {}
    for kind, ids in (("m", mids), ("s", sids)):
        for j, i in enumerate(ids):
            if i in where:
                path = f"{pre}{'members' if kind == 'm' else 'supporters'}[{j}].id"
                raise InputError(path, f"编号“{i}”重复（义务关系按编号引用）")
            where[i] = (kind, j)
    return where


def _link(link: Any, p: str, where: dict[str, tuple[str, int]], own: int) -> tuple[str, int, str]:
    link = obj(link, p)
    check_keys(link, {"supporter", "relationship"}, p)
    sid = link.get("supporter")
    if sid is None or str(sid) not in where:
        raise InputError(f"{p}.supporter", f"“{sid}”不是本户成员或义务人的编号")
    kind, pos = where[str(sid)]
    if kind == "m" and pos == own:
        raise InputError(f"{p}.supporter", "义务人不能是本人")
    rel = choice(link, "relationship", p, RELATIONSHIPS)
    if rel is None:
        raise InputError(f"{p}.relationship", "必填（义务人与该成员的关系：spouse 配偶 / parent 父母 / child 子女 …）")
    return kind, pos, rel


def claims(h: dict[str, Any], pre: str) -> list[dict[str, Any]]:
    """``medical.claims`` of one household: per claim the covered person, kind, out-of-pocket amount, date and
    hospital; ``medical.ytd`` gives each person's amounts already paid this year, by kind."""
    md = h.get("medical") or {}
    mp = f"{pre}medical"
    ids = {str(m.get("id", j)) for j, m in enumerate(h.get("members") or [])}
    ytd_in = obj(md.get("ytd") or {}, f"{mp}.ytd")
    ytd: dict[tuple[str, str], int] = {}
    for pid, kinds in ytd_in.items():
        if str(pid) not in ids:
            raise InputError(f"{mp}.ytd.{pid}", "不是本户成员的编号")
        kinds = obj(kinds, f"{mp}.ytd.{pid}")
        check_keys(kinds, set(MEDICAL_KINDS), f"{mp}.ytd.{pid}")
        for k in kinds:
            ytd[(str(pid), k)] = fen(kinds, k, f"{mp}.ytd.{pid}")
    raw = md.get("claims") or []
    if not isinstance(raw, list):
        raise InputError(f"{mp}.claims", "须为列表")
    out, years = [], set()
    for j, c in enumerate(raw):
        cp = f"{mp}.claims[{j}]"
        c = obj(c, cp)
        check_keys(c, {"id", "person", "kind", "oop", "date", "hospital"}, cp)
        person = str(c.get("person"))
        if person not in ids:
            raise InputError(f"{cp}.person", f"“{c.get('person')}”不是本户成员的编号")
        kind = choice(c, "kind", cp, MEDICAL_KINDS)
        if kind is None:
            raise InputError(f"{cp}.kind", "必填")
        day = date(c, "date", cp, required=True)
        years.add(day.year)
        out.append({"id": str(c.get("id", j)), "person": person, "kind": kind, "oop": fen(c, "oop", cp),
                    "date": day, "hospital": str(c.get("hospital") or ""), "ytd": ytd.get((person, kind), 0)})
    if len(years) > 1:
        raise InputError(f"{mp}.claims", "一次只能计算同一年度的费用（年度限额按年累计）")
    return out
