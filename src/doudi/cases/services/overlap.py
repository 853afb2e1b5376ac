"""One basic-living program per person (national-rules §11.1; docs/decisions.md 2026-11-25): an approval that would
cover someone already receiving 低保 or 特困 — here or in another county, matched on the person (one person per
resident ID) — is refused, and intake warns at once. Another area's details are never shown: only the fact."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from doudi.benefits.choices import SPECIAL_PROGRAMS, Program
from doudi.benefits.selectors import Coverage, basic_coverage, personal_coverage
from doudi.cases.errors import CaseError, Code
from doudi.registry.models import Membership, Person

# S2 Art 4 / S3 Art 14: whoever meets the 特困 conditions is supported as 特困; the others form the 低保 unit.
RULE = ("一人只能享受低保或特困供养中的一项，同一待遇不得重复享受（《特困人员认定办法》第四条、《社会救助暂行办法》"
        "第十四条：符合特困条件的依法纳入特困供养，其余家庭成员按低保保障）")


def covered_persons(household, *, rows: list[dict], evaluation, on: dt.date) -> set[int]:
    """The persons the entitlements in ``rows`` would cover."""
    out: set[int] = set()
    for row in rows:
        if row.get("person_id"):
            out.add(int(row["person_id"]))
            continue
        ids = ((evaluation.result.get("dibao") or {}).get("person_ids") if evaluation is not None else None) or []
        out |= {int(i) for i in ids} or set(
            Membership.objects.filter(household=household).as_of(on).values_list("person_id", flat=True))
    return out


def coverage_lines(coverages: list[Coverage], *, county_prefix: str) -> list[str]:
    """One Chinese line per covered person: name, program, and 本县 or 其他县（市、区） — nothing more."""
    names = dict(Person.objects.filter(pk__in={c.person_id for c in coverages}).values_list("pk", "name"))
    lines = []
    for c in coverages:
        where = _("其他县（市、区）") if c.elsewhere(county_prefix) else _("本县（市、区）")
        lines.append(_("%(name)s已在%(where)s享受%(program)s") % {
            "name": names.get(c.person_id, "?"), "where": where, "program": Program(c.program).label})
    return sorted(set(lines))


SPECIAL_RULE = ("同一人不得重复享受同一项目，也不得同时享受测算结果所列互斥项目（孤儿、事实无人抚养儿童基本生活费"
                "与特困供养：《特困人员认定办法》第九条；其余见政策参数 special.*.excluded_with）")


def _excluded(evaluation, program: str) -> list[str]:
    """The programs the engine says ``program`` excludes for the same person (``special.<p>.excluded_with``)."""
    special = (evaluation.result.get("special") or {}) if evaluation is not None else {}
    return list((special.get(program) or {}).get("excluded_with") or [])


def _special_overlap(household, rows: list[dict], start: dt.date, evaluation) -> list[Coverage]:
    """For a special-group approval: the same program again, or a program it excludes; for a basic-living approval:
    a special-group program that excludes it (orphan allowance vs 特困)."""
    program = rows[0]["program"] if rows else ""
    persons = {int(r["person_id"]) for r in rows if r.get("person_id")}
    if program in SPECIAL_PROGRAMS:
        excluded = _excluded(evaluation, program)
        basic = [c for c in basic_coverage(persons, from_month=start) if c.program in excluded]
        return basic + personal_coverage(
            persons, programs=[program, *[p for p in excluded if p in SPECIAL_PROGRAMS]], from_month=start)
    persons = covered_persons(household, rows=rows, evaluation=evaluation, on=start)
    blockers = [q for q in SPECIAL_PROGRAMS if program in _excluded(evaluation, q)]
    return personal_coverage(persons, programs=blockers, from_month=start)


def overlap_check(household, *, rows: list[dict], start: dt.date, evaluation=None) -> None:
    special = _special_overlap(household, rows, start, evaluation)
    if special:
        raise CaseError(_("不能批准：%(who)s。%(rule)s") % {
            "who": "；".join(coverage_lines(special, county_prefix=household.region_id[:6])),
            "rule": _(SPECIAL_RULE)},
            code=Code.ALREADY_COVERED)
    if rows and rows[0]["program"] in SPECIAL_PROGRAMS:
        return  # a special-group program is paid alongside 低保/特困
    persons = covered_persons(household, rows=rows, evaluation=evaluation, on=start)
    found = basic_coverage(persons, from_month=start)
    if found:
        county = household.region_id[:6]
        who = "；".join(coverage_lines(found, county_prefix=county))
        raise CaseError(_("不能批准：%(who)s。%(rule)s") % {"who": who, "rule": _(RULE)}, code=Code.ALREADY_COVERED)


def coverage_warnings(household, *, on: dt.date) -> list[str]:
    """Intake's warning: every current member of the household already covered by 低保 or 特困, here or in another
    county (the same person, i.e. the same resident ID) — said without the other area's details."""
    persons = set(Membership.objects.filter(household=household).as_of(on).values_list("person_id", flat=True))
    return coverage_lines(basic_coverage(persons, from_month=on.replace(day=1)), county_prefix=household.region_id[:6])
