"""Registry → rules-engine input (the household JSON of docs/engine.md), as of a date.

The engine is pure and knows nothing of the ORM; this module is the only place that knows both. Every mapping
from a registry category to an engine category is written out here, so a reviewer can check it against the rules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from doudi.benefits.choices import EntitlementStatus, Program
from doudi.benefits.models import Entitlement
from doudi.registry.choices import CircumstanceKind, EmploymentStatus
from doudi.registry.models import (
    Circumstance,
    Disability,
    Expense,
    Income,
    Membership,
    Person,
    Schooling,
    WorkAbility,
)
from doudi.registry.selectors import HouseholdSnapshot, MemberSnapshot

# Registry income kinds → engine income kinds (rules/kinds.py). Net transfer income is transfer in minus transfer
# out (S1 Art 13 (四)); it enters the engine as "other" counted income.
INCOME_MAP = {
    "wage": "wage",
    "business": "business",
    "property": "property",
    "other": "other",
    "preferential": "preferential",
    "family_planning": "family_planning",
    "scholarship": "scholarship",
    "reward": "reward",
    "assistance": "assistance",
    "basic_pension": "basic_pension",
    "elderly_allowance": "old_age_allowance",
}
COUNTED_INCOME = ["wage", "business", "property", "transfer", "other"]
EXPENSE_MAP = {"medical": "medical", "education": "education", "rehabilitation": "disability", "care": "care"}
SCHOOL_MAP = {
    "preschool": "preschool",
    "compulsory": "junior",
    "high_school": "senior_high",
    "vocational": "secondary_vocational",
    "college": "higher_vocational",
    "bachelor": "bachelor",
    "postgraduate": "postgraduate",
}
EMPLOYED = {EmploymentStatus.EMPLOYED, EmploymentStatus.FLEXIBLE, EmploymentStatus.SELF_EMPLOYED}
IRREGULAR = {EmploymentStatus.FLEXIBLE, EmploymentStatus.SELF_EMPLOYED}
# A child's parents' situation recorded on the child (registry ``father_*`` / ``mother_*`` circumstances) → the
# engine's ``parents`` statuses (rules.kinds.PARENT_STATUS).
PARENT_MAP = {"dead": "dead", "missing": "missing", "disabled": "severe_disability", "ill": "serious_illness",
              "detained": "detained", "no_contact": "no_contact", "revoked": "guardianship_revoked",
              "deported": "deported"}
SELF_CARE = ("eating", "dressing", "bed_transfer", "toileting", "indoor_walking", "bathing")
# Family structure read from each member's relationship to the head of household: (member's, other's) → what the
# other is to the member, for the pairs the two relationships settle (a grandchild's parent could be any of the
# head's children: recorded support-obligation evidence says it). Which relationships oblige support is the engine's
# rule (rules.kinds.OBLIGED_RELATIONSHIPS); the pairs listed are those it can use.
RELATIVE = {
    ("head", "spouse"): "spouse", ("spouse", "head"): "spouse",
    ("head", "child"): "child", ("child", "head"): "parent",
    # the head's spouse and the head's children: parent and child (民法典 Art 1072 for a step-parent who raised them)
    ("spouse", "child"): "child", ("child", "spouse"): "parent",
    ("head", "parent"): "parent", ("parent", "head"): "child",
    ("parent", "parent"): "spouse",  # the head's two parents
}


def _month_points(as_of: dt.date, months: int = 12) -> list[dt.date]:
    """The 15th of each of the ``months`` months before ``as_of``'s month (a fact valid that day counts the month)."""
    points = []
    year, month = as_of.year, as_of.month
    for _ in range(months):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        points.append(dt.date(year, month, 15))
    return points


def _valid_on(row, day: dt.date) -> bool:
    return row.valid_from <= day and (row.valid_to is None or row.valid_to >= day)


def _twelve_month_total(rows, as_of: dt.date, amount=lambda r: r.monthly_fen) -> int:
    points = _month_points(as_of)
    return sum(amount(r) for r in rows for day in points if _valid_on(r, day))


def _income_map(incomes) -> dict[str, int]:
    out: dict[str, int] = {}
    transfer = 0
    for row in incomes:
        if row.kind == "transfer":
            transfer += row.monthly_fen
        elif row.kind == "transfer_expense":
            transfer -= row.monthly_fen
        else:
            key = INCOME_MAP[row.kind]
            out[key] = out.get(key, 0) + row.monthly_fen
    if transfer > 0:
        out["other"] = out.get("other", 0) + transfer
    return out


def _member_input(member: MemberSnapshot, as_of: dt.date) -> dict[str, Any]:
    """One member as the engine reads it. Every member on the register is passed: whether they count (S1 Art 7:
    deceased, not living together, imprisoned …) is the engine's decision (``persons[].counted``)."""
    ev = member.evidence
    circumstances = {c.kind: c for c in ev.get("circumstance", [])}
    out: dict[str, Any] = {
        "id": str(member.person.pk),
        "name": member.person.name,
        "birth_date": member.person.birth_date.isoformat(),
        "relationship": member.membership.relationship,
        "co_resident": member.membership.lives_together,
        "imprisoned": CircumstanceKind.IMPRISONED in circumstances,
        "compulsory_rehab": CircumstanceKind.COMPULSORY_REHAB in circumstances,
        "declared_missing": CircumstanceKind.DECLARED_MISSING in circumstances,
        "no_civil_capacity": CircumstanceKind.NO_CIVIL_CAPACITY in circumstances,
    }
    if member.person.date_of_death is not None:
        out["date_of_death"] = member.person.date_of_death.isoformat()
    parents = {}
    for parent in ("father", "mother"):
        # the weightiest recorded situation of each parent (dead/missing first; never entry order)
        found = [s for s in PARENT_MAP if f"{parent}_{s}" in circumstances]
        if found:
            parents[parent] = PARENT_MAP[found[0]]
    if parents:
        out["parents"] = parents
    clergy = circumstances.get(CircumstanceKind.CLERGY_APART)
    if clergy is not None:
        out["clergy_apart_since"] = clergy.valid_from.isoformat()
    schooling = ev.get("schooling", [])
    if schooling:
        school = schooling[-1]
        out["school_level"] = SCHOOL_MAP[school.level]
        out["full_time_student"] = school.full_time
    income = _income_map(ev.get("income", []))
    if income:
        out["income"] = income
    out["employed"] = any(e.status in EMPLOYED for e in ev.get("employment", []))
    disabilities: list[Disability] = ev.get("disability", [])
    if disabilities:
        worst = min(disabilities, key=lambda d: d.grade)
        out["disability"] = {"type": worst.type, "grade": worst.grade}
    out["serious_illness"] = any(i.serious for i in ev.get("illness", []))
    assessments = ev.get("selfcareassessment", [])
    if assessments:
        latest = max(assessments, key=lambda a: a.valid_from)
        out["self_care"] = {name: getattr(latest, name) for name in SELF_CARE}
    abilities = ev.get("workability", [])
    if abilities:
        out["work_ability"] = max(abilities, key=lambda a: a.valid_from).level
    expenses: dict[str, int] = {}
    for row in ev.get("expense", []):
        key = EXPENSE_MAP.get(row.kind)
        if key:
            expenses[key] = expenses.get(key, 0) + row.monthly_fen
    if expenses:
        out["rigid_expenses"] = expenses
    return out


def _assets(snapshot: HouseholdSnapshot) -> dict[str, int]:
    totals = {"deposits": 0, "securities": 0, "insurance": 0, "internet_finance": 0}
    vehicles = vehicle_value = homes = businesses = 0
    for asset in snapshot.all_evidence("asset"):
        if asset.exempt:  # necessary for production and living (S1 Art 14)
            continue
        if asset.kind == "deposit":
            totals["deposits"] += asset.value_fen
        elif asset.kind in ("securities", "insurance", "internet_finance"):
            totals[asset.kind] += asset.value_fen
        elif asset.kind == "vehicle":
            vehicles += asset.quantity
            vehicle_value += asset.value_fen
        elif asset.kind == "real_estate":
            homes += asset.quantity
        elif asset.kind == "business":
            businesses += asset.quantity
    return {
        **totals,
        "vehicle_count": vehicles,
        "vehicle_value": vehicle_value,
        # The home the family lives in is not counted against it; only housing beyond one unit is.
        "extra_real_estate": max(0, homes - 1),
        "business_registrations": businesses,
    }


def _severe(disabilities) -> bool:
    # S2 Art 8 (4): severely disabled = grade 1–2, or grade-3 intellectual or mental disability.
    return any(d.grade <= 2 or (d.grade == 3 and d.type in ("intellectual", "mental")) for d in disabilities)


@dataclass
class _Context:
    """Everything ``household_input`` needs beyond the snapshots, loaded in a fixed number of queries."""

    as_of: dt.date
    window_expenses: dict[int, list[Expense]] = field(default_factory=dict)
    window_incomes: dict[int, list[Income]] = field(default_factory=dict)
    supporters: dict[int, dict[str, Any]] = field(default_factory=dict)
    dibao: dict[int, Entitlement] = field(default_factory=dict)
    schooling_ended: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


def _active_entitlements(as_of: dt.date):
    return (
        Entitlement.objects.filter(
            status__in=[EntitlementStatus.ACTIVE, EntitlementStatus.GRACE], start_month__lte=as_of
        ).exclude(end_month__lt=as_of)
    )


def _load_context(snapshots: list[HouseholdSnapshot], as_of: dt.date) -> _Context:
    ctx = _Context(as_of=as_of)
    person_ids = [m.person.pk for s in snapshots for m in s.members]
    window_start = as_of - dt.timedelta(days=366)
    for row in Expense.objects.filter(person_id__in=person_ids, kind__in=list(EXPENSE_MAP)).overlapping(
        window_start, as_of
    ):
        ctx.window_expenses.setdefault(row.person_id, []).append(row)
    for row in Income.objects.filter(person_id__in=person_ids, kind__in=COUNTED_INCOME).overlapping(
        window_start, as_of
    ):
        ctx.window_incomes.setdefault(row.person_id, []).append(row)
    for ent in _active_entitlements(as_of).filter(
        program=Program.DIBAO, household_id__in=[s.household.pk for s in snapshots]
    ):
        ctx.dibao[ent.household_id] = ent
    # Schooling that ended before the date: the engine ends a school extension with it (rules.special).
    for pid, level, full_time, until in Schooling.objects.filter(
            person_id__in=person_ids, valid_to__lt=as_of).order_by("valid_to").values_list(
            "person_id", "level", "full_time", "valid_to"):
        ctx.schooling_ended.setdefault(pid, []).append(
            {"level": SCHOOL_MAP[level], "full_time": full_time, "until": until.isoformat()})

    supporter_ids = {
        o.supporter_id for s in snapshots for m in s.members for o in m.evidence.get("supportobligation", [])
    }
    if supporter_ids:
        ctx.supporters = _supporters(supporter_ids, as_of, window_start)
    return ctx


def _supporters(ids: set[int], as_of: dt.date, window_start: dt.date) -> dict[int, dict[str, Any]]:
    """Facts about legally obliged supporters that S2 Art 8 asks about, for people who may live elsewhere."""
    persons = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    circumstances: dict[int, set[str]] = {}
    for pid, kind in Circumstance.objects.filter(person_id__in=ids).as_of(as_of).values_list("person_id", "kind"):
        circumstances.setdefault(pid, set()).add(kind)
    disabilities: dict[int, list[Disability]] = {}
    for d in Disability.objects.filter(person_id__in=ids).as_of(as_of):
        disabilities.setdefault(d.person_id, []).append(d)
    incomes: dict[int, list[Income]] = {}
    for i in Income.objects.filter(person_id__in=ids, kind__in=COUNTED_INCOME).overlapping(window_start, as_of):
        incomes.setdefault(i.person_id, []).append(i)
    household_of = dict(Membership.objects.filter(person_id__in=ids).as_of(as_of).values_list("person_id",
                                                                                            "household_id"))
    ability: dict[int, tuple[dt.date, str]] = {}
    for pid, start, level in WorkAbility.objects.filter(person_id__in=ids).as_of(as_of).values_list(
            "person_id", "valid_from", "level"):
        if pid not in ability or start >= ability[pid][0]:
            ability[pid] = (start, level)
    active = _active_entitlements(as_of)
    tekun = set(active.filter(program=Program.TEKUN, person_id__in=ids).values_list("person_id", flat=True))
    dibao_households = set(
        active.filter(program=Program.DIBAO, household_id__in=set(household_of.values())).values_list(
            "household_id", flat=True
        )
    )
    out = {}
    for pid, person in persons.items():
        kinds = circumstances.get(pid, set())
        out[pid] = {
            "id": str(pid),
            "age": person.age_on(as_of),
            "is_tekun": pid in tekun,
            "is_dibao": household_of.get(pid) in dibao_households,
            "income_12m": _twelve_month_total(incomes.get(pid, []), as_of),
            "severe_disability": _severe(disabilities.get(pid, [])),
            "no_civil_capacity": CircumstanceKind.NO_CIVIL_CAPACITY in kinds,
            "missing": CircumstanceKind.DECLARED_MISSING in kinds,
            "imprisoned": CircumstanceKind.IMPRISONED in kinds,
            "work_ability": ability.get(pid, (None, "full"))[1],
            "dead": person.date_of_death is not None and person.date_of_death <= as_of,
        }
    return out


Links = dict[int, list[dict[str, str]]]


def _links(members: list[MemberSnapshot], supporters: dict[int, dict[str, Any]]) -> tuple[Links, list[dict]]:
    """Who is obliged to support whom (S2 Art 4 (3), Art 8): per member the links to co-resident members (from the
    relationships to the head) and to any person named in their support-obligation evidence, living here or
    elsewhere; and the supporters living elsewhere that a link names (the deceased are no supporters)."""
    by_id = {m.person.pk: m for m in members}
    links: dict[int, dict[int, str]] = {pid: {} for pid in by_id}
    for pid, m in by_id.items():
        for oid, o in by_id.items():
            rel = RELATIVE.get((m.membership.relationship, o.membership.relationship))
            if oid != pid and rel:
                links[pid][oid] = rel
    outside: dict[int, dict[str, Any]] = {}
    for pid, m in by_id.items():
        for obligation in m.evidence.get("supportobligation", []):
            sid = obligation.supporter_id
            if sid == pid:
                continue
            if sid not in by_id:
                facts = supporters.get(sid)
                if facts is None or facts["dead"]:
                    continue
                outside[sid] = {k: v for k, v in facts.items() if k != "dead"}
            links[pid][sid] = obligation.relationship  # the recorded obligation wins over the inferred one
    out = {pid: [{"supporter": str(sid), "relationship": rel} for sid, rel in ls.items()] for pid, ls in links.items()}
    return out, list(outside.values())


def _household_input(snapshot: HouseholdSnapshot, ctx: _Context, extra: dict[str, Any] | None) -> dict[str, Any]:
    as_of = snapshot.as_of
    household = snapshot.household
    members = snapshot.members
    links, supporters = _links(members, ctx.supporters)
    rows = []
    for m in members:
        row = _member_input(m, as_of)
        row["supported_by"] = links[m.person.pk]
        # 12-month totals per member: the engine adds up those it counts (刚性支出困难, S8 Art 4)
        row["income_12m"] = _twelve_month_total(ctx.window_incomes.get(m.person.pk, []), as_of)
        row["rigid_expense_12m"] = _twelve_month_total(ctx.window_expenses.get(m.person.pk, []), as_of)
        if m.person.pk in ctx.schooling_ended:
            row["schooling_ended"] = ctx.schooling_ended[m.person.pk]
        rows.append(row)
    data: dict[str, Any] = {
        "id": household.number,
        "area": household.area_type,
        "members": rows,
        "supporters": supporters,
        "assets": _assets(snapshot),
        "registered_poor": any(
            c.kind == CircumstanceKind.REGISTERED_POOR for m in members for c in m.evidence.get("circumstance", [])
        ),
        "income_irregular": any(e.status in IRREGULAR for m in members for e in m.evidence.get("employment", [])),
    }
    dibao = ctx.dibao.get(household.pk)
    if dibao is not None:
        data["current"] = current_input(dibao)
    for key, value in (extra or {}).items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


def current_input(ent: Entitlement) -> dict[str, Any]:
    """The household's live 低保 as the engine reads it, with the 渐退 memory (rules.grace): the rise and, once
    granted, the period's start and months — so a re-evaluation keeps the period and never grants it again."""
    out: dict[str, Any] = {"on_dibao": True, "amount": ent.monthly_fen}
    if ent.income_rise_reason:
        out["income_rise_reason"] = ent.income_rise_reason
    if ent.income_rose_on:
        out["income_rose_on"] = ent.income_rose_on.isoformat()
    if ent.grace_start_month and ent.grace_months:
        out["grace_start_month"] = f"{ent.grace_start_month:%Y-%m}"
        out["grace_months_granted"] = ent.grace_months
    return out


def household_inputs(snapshots: list[HouseholdSnapshot], *, extra: dict[str, Any] | None = None) -> list[dict]:
    """Engine input for many households at once (same ``as_of``), in a fixed number of queries."""
    if not snapshots:
        return []
    ctx = _load_context(snapshots, snapshots[0].as_of)
    return [_household_input(s, ctx, extra) for s in snapshots if s.members]


def household_input(snapshot: HouseholdSnapshot, *, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The engine's household JSON for ``snapshot``. ``extra`` adds what the registry does not hold: a temporary
    assistance request, medical bills, or why a recipient's income rose (keys as in docs/engine.md)."""
    ctx = _load_context([snapshot], snapshot.as_of)
    return _household_input(snapshot, ctx, extra)
