"""Special groups as programs (national-rules §11; issue 12.4): 孤儿、事实无人抚养儿童基本生活费, 困难残疾人生活补贴 and
重度残疾人护理补贴. Each is paid per person, alongside (not instead of) the basic-living program, at the profile's dated
standard. Pure: one person's input (the member object of docs/engine.md) and the engine's own per-person facts
(``persons[]``: age, 特困 outcome, medical category) in, a small dict out.

Rules (every figure is a profile value read through ``Scalars``):

- **orphan** (孤儿): under ``special.child.max_age`` (18), both parents dead or declared missing (one dead and the
  other missing included) → ``special.orphan.standard``.
- **de-facto unsupported child** (事实无人抚养儿童, 民发〔2019〕62号): under that age (or older in full-time school up
  to undergraduate with ``special.unsupported_child.school_extension``), both parents dead/missing or in one of the
  listed situations (severe disability, serious illness, detention, out of contact; plus the profile's
  ``extra_parent_statuses``), not both dead/missing (that is an orphan) → ``special.unsupported_child.standard``.
  Both are one program, ``orphan``, with the person's ``category``.
- **困难残疾人生活补贴** (国发〔2015〕52号): a person with a disability certificate (grade 1–4) whose engine category
  (the household's 低保 / 特困 / 低保边缘 outcome) is in ``special.disabled_living.categories``.
- **重度残疾人护理补贴**: disability grade 1–2 → ``standard.severe``; grade 3–4 of a type in
  ``special.disabled_care.extended_types`` → ``standard.extended`` (where the profile extends it).
- Nobody dead on the date. ``excluded_with`` (the programs the same person may not hold at once, e.g. orphan vs
  特困, S2 Art 9) is reported with each program for the approval's overlap check.
- The allowance for a child ends with the month of the birthday that reaches the age (``last_month``), unless the
  school extension applies: then there is no fixed end (``school_extension`` true: each review re-confirms the
  schooling), and once the person is no longer in qualifying full-time school the allowance ends with the month the
  last qualifying full-time schooling ended (``schooling_ended``, the registry's past schooling records), never before
  the birthday month (reason ``SCHOOL_ENDED``). Not eligible with a ``last_month`` = paid through that month.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from doudi.rules.inputs import parents
from doudi.rules.kinds import (
    ORPHAN_PARENT_STATUS,
    SPECIAL_PROGRAMS,
    UNSUPPORTED_PARENT_STATUS,
    UNSUPPORTED_SCHOOL_LEVELS,
)
from doudi.rules.scalars import Scalars

REASON_TEXT = {
    "NO_STANDARD": "本地区未设定该项补贴标准（以当地政策为准）",
    "DEAD": "本人已死亡",
    "OVER_AGE": "已满规定年龄且不符合继续发放条件",
    "SCHOOL_ENDED": "已满规定年龄，全日制在校就读已结束，不再符合继续发放条件（民发〔2019〕62号）",
    "PARENTS_NOT_QUALIFYING": "父母情况不符合孤儿或事实无人抚养儿童认定条件",
    "NO_DISABILITY": "未持有残疾人证",
    "NOT_IN_CATEGORY": "不属于享受困难残疾人生活补贴的家庭类别（低保等）",
    "GRADE_NOT_COVERED": "残疾等级、类别不在护理补贴范围内",
}
CATEGORY_TEXT = {"orphan": "孤儿", "unsupported": "事实无人抚养儿童"}


def _coded(code: str | None) -> dict[str, str] | None:
    return None if code is None else {"code": code, "text": REASON_TEXT[code]}


def _last_month(birth: dt.date, age: int) -> str:
    return f"{birth.year + age:04d}-{birth.month:02d}"


def _qualifying_school(level: Any, full_time: Any) -> bool:
    return bool(full_time) and level in UNSUPPORTED_SCHOOL_LEVELS


def _school_ended_month(m: dict[str, Any]) -> str | None:
    """The month the member's last qualifying full-time schooling ended (``schooling_ended``), or None."""
    ends = [str(r["until"])[:7] for r in m.get("schooling_ended") or []
            if _qualifying_school(r.get("level"), r.get("full_time", True))]
    return max(ends) if ends else None


def _orphan(m: dict[str, Any], person: dict[str, Any], s: Scalars) -> dict[str, Any]:
    out: dict[str, Any] = {"category": None, "last_month": None, "school_extension": False}
    if s.sp_child_age is None or (s.sp_orphan is None and s.sp_unsupported is None):
        return {**out, "eligible": False, "reason": "NO_STANDARD"}
    par = parents(m, "member")
    father, mother = par["father"], par["mother"]
    gone = set(ORPHAN_PARENT_STATUS)
    unable = gone | set(UNSUPPORTED_PARENT_STATUS) | set(s.sp_extra_parent)
    if father in gone and mother in gone:
        category, standard = "orphan", s.sp_orphan
    elif father in unable and mother in unable:
        category, standard = "unsupported", s.sp_unsupported
    else:
        return {**out, "eligible": False, "reason": "PARENTS_NOT_QUALIFYING"}
    out["category"] = category
    if standard is None:
        return {**out, "eligible": False, "reason": "NO_STANDARD"}
    birth = dt.date.fromisoformat(str(m["birth_date"]))
    age_month = _last_month(birth, s.sp_child_age)
    minor = person["age"] < s.sp_child_age
    extension = category == "unsupported" and s.sp_school_ext
    schooling = extension and _qualifying_school(m.get("school_level"), m.get("full_time_student"))
    if not (minor or schooling):
        # Past the age and not (or no longer) in qualifying full-time school: paid through the birthday month, or
        # under the extension through the month that schooling ended, when that is later (民发〔2019〕62号).
        ended = _school_ended_month(m) if extension else None
        if ended is not None and ended > age_month:
            return {**out, "eligible": False, "reason": "SCHOOL_ENDED", "last_month": ended}
        return {**out, "eligible": False, "reason": "OVER_AGE", "last_month": age_month}
    # A child in school under the extension has no fixed end: the review decides when schooling ends (and past the
    # age re-confirms the schooling each time: ``school_extension``).
    last = None if schooling else age_month
    return {**out, "eligible": True, "monthly_fen": standard, "reason": None, "last_month": last,
            "school_extension": not minor}


def _disability(m: dict[str, Any]) -> tuple[str | None, int]:
    d = m.get("disability") or {}
    return d.get("type"), int(d.get("grade") or 0)


def _living(m: dict[str, Any], person: dict[str, Any], s: Scalars) -> dict[str, Any]:
    if s.sp_living is None:
        return {"eligible": False, "reason": "NO_STANDARD"}
    if not _disability(m)[1]:
        return {"eligible": False, "reason": "NO_DISABILITY"}
    if person.get("medical_category") not in s.sp_living_cats:
        return {"eligible": False, "reason": "NOT_IN_CATEGORY"}
    return {"eligible": True, "monthly_fen": s.sp_living, "reason": None}


def _care(m: dict[str, Any], s: Scalars) -> dict[str, Any]:
    kind, grade = _disability(m)
    if not grade:
        return {"eligible": False, "reason": "NO_DISABILITY"}
    if grade in (1, 2):
        standard = s.sp_care_severe
    elif kind in s.sp_care_ext_types:
        standard = s.sp_care_extended
    else:
        return {"eligible": False, "reason": "GRADE_NOT_COVERED"}
    if standard is None:
        return {"eligible": False, "reason": "NO_STANDARD"}
    return {"eligible": True, "monthly_fen": standard, "reason": None}


def person_special(m: dict[str, Any], person: dict[str, Any], s: Scalars, as_of: dt.date) -> dict[str, Any]:
    """One person's three special-group programs: ``{program: {eligible, monthly_fen, reason, …}}``."""
    dead = m.get("date_of_death") is not None and dt.date.fromisoformat(str(m["date_of_death"])) <= as_of
    out = {"orphan": _orphan(m, person, s), "disabled_living": _living(m, person, s), "disabled_care": _care(m, s)}
    for program, r in out.items():
        r.setdefault("last_month", None)
        if dead:
            # paid through the month before the death (the payroll pays nobody in the month they die)
            first = dt.date.fromisoformat(str(m["date_of_death"])).replace(day=1) - dt.timedelta(days=1)
            r.update(eligible=False, reason="DEAD", last_month=f"{first:%Y-%m}")
        r.setdefault("monthly_fen", 0)
        if not r["eligible"]:
            r["monthly_fen"] = 0
        r["reason"] = _coded(r["reason"])
        r["excluded_with"] = list(s.sp_excluded[program])
    return out


def household_special(members: list[dict[str, Any]], decision: dict[str, Any], s: Scalars,
                      as_of: dt.date) -> None:
    """Add ``special`` to a household decision with ``persons`` (``evaluate_households(..., with_members=True)``):
    per person ``persons[i].special`` and per program the covered persons, their count and the total."""
    people = decision.get("persons") or []
    summary = {p: {"eligible": False, "persons": 0, "amount_fen": 0, "person_ids": [], "label": label,
                   "excluded_with": list(s.sp_excluded[p]), "review_months": s.review.get("special")}
               for p, label in SPECIAL_PROGRAMS.items()}
    for m, person in zip(members, people, strict=True):
        person["special"] = mine = person_special(m, person, s, as_of)
        for program, r in mine.items():
            if r["eligible"]:
                t = summary[program]
                t["eligible"] = True
                t["persons"] += 1
                t["amount_fen"] += r["monthly_fen"]
                t["person_ids"].append(person["id"])
    decision["special"] = summary


def special_reasons(decision: dict[str, Any], program: str) -> list[str]:
    """Why nobody in the household qualifies for ``program`` (each reason once, in member order)."""
    seen: list[str] = []
    for p in decision.get("persons") or []:
        r = (p.get("special") or {}).get(program) or {}
        text = (r.get("reason") or {}).get("text")
        if text and text not in seen:
            seen.append(text)
    return seen
