"""Reads from the registry, always scoped to the acting user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import Func, QuerySet, TextField
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import NotFoundOrForbidden
from doudi.core.ids import normalize
from doudi.registry.models import EVIDENCE_MODELS, Evidence, Household, Membership, Person

if TYPE_CHECKING:
    from doudi.accounts.models import User


class _Grams(Func):
    """``doudi_grams(text)``: every one- and two-character substring (PostgreSQL function of migration 0002)."""

    function = "doudi_grams"
    output_field = ArrayField(TextField())


def _grams(text: str) -> list[str]:
    return [text] if len(text) == 1 else sorted({text[i : i + 2] for i in range(len(text) - 1)})


def _contains(qs: QuerySet, field: str, text: str) -> QuerySet:
    """``field__contains=text``; on PostgreSQL also through the field's gram index (same rows, found by index).

    Names are two or three characters and people type two (“王芳”), which a trigram index cannot look up; a GIN
    index of each value's one- and two-character substrings can. The LIKE stays as the exact check.
    """
    qs = qs.filter(**{f"{field}__contains": text})
    if connections[qs.db].vendor == "postgresql":
        qs = qs.alias(search_grams=_Grams(field)).filter(search_grams__contains=_grams(text))
    return qs


def household_list(*, actor: User, query: str = "", region_code: str = "", action: str = Action.VIEW) -> QuerySet:
    """Households the actor may see; ``query`` matches household number, address, or a member's name or full ID."""
    qs = Household.objects.restrict(actor, action).select_related("region")
    if region_code:
        qs = qs.filter(region__code__startswith=region_code)
    query = query.strip()
    if query:
        ident = normalize(query)
        # One indexed lookup per way of matching, united: an OR across them (one with a subquery) made PostgreSQL
        # test every household in the jurisdiction.
        matches = (
            Household.objects.filter(number__startswith=query)
            .values("pk")
            .order_by()
            .union(
                _contains(Household.objects.all(), "address", query).values("pk").order_by(),
                _contains(Membership.objects.all(), "person__name", query).values("household_id").order_by(),
                Membership.objects.filter(person__id_number=ident).values("household_id").order_by(),
            )
        )
        qs = qs.filter(pk__in=matches)
    # By village, then number (numbers begin with the village code, so this is the number order in practice): an
    # index on (region, number) serves every page of any jurisdiction as one range scan (docs/benchmarks.md, Web).
    return qs.order_by("region_id", "number")


def household_get(*, actor: User, pk: int, action: str = Action.VIEW) -> Household:
    household = Household.objects.restrict(actor, action).select_related("region", "hukou_region").filter(pk=pk).first()
    if household is None:
        raise NotFoundOrForbidden(_("未找到该家庭，或不在您的辖区内"))
    return household


def household_view_full(*, actor: User, pk: int) -> Household:
    """The full record (IDs, incomes, health): needs ``view_full`` and is audited every time."""
    household = household_get(actor=actor, pk=pk, action=Action.VIEW_FULL)
    audit_record(actor=actor, action=AuditAction.VIEW, obj=household, region_code=household.region_id)
    return household


@dataclass
class MemberSnapshot:
    membership: Membership
    person: Person
    evidence: dict[str, list[Evidence]] = field(default_factory=dict)


@dataclass
class HouseholdSnapshot:
    household: Household
    as_of: dt.date
    members: list[MemberSnapshot]

    def all_evidence(self, kind: str) -> list[Evidence]:
        return [e for m in self.members for e in m.evidence.get(kind, [])]


def household_snapshot(household: Household, *, as_of: dt.date) -> HouseholdSnapshot:
    """The household as it stood on ``as_of``: members then, each with the evidence valid then.

    Callers have already checked scope (household_get / household_view_full); this reads by primary key.
    """
    return household_snapshots([household], as_of=as_of)[0]


def household_snapshots(households: list[Household], *, as_of: dt.date, chunk: int = 500) -> list[HouseholdSnapshot]:
    """Snapshots of many households with one query per evidence type per chunk, however many members."""
    result: list[HouseholdSnapshot] = []
    for start in range(0, len(households), chunk):
        part = households[start : start + chunk]
        memberships = list(
            Membership.objects.filter(household__in=part).as_of(as_of).select_related("person").order_by("id")
        )
        members = {m.person_id: MemberSnapshot(membership=m, person=m.person) for m in memberships}
        for model in EVIDENCE_MODELS:
            kind = model._meta.model_name
            rows = model.objects.filter(person_id__in=list(members)).as_of(as_of).order_by("valid_from", "id")
            if kind == "supportobligation":
                rows = rows.select_related("supporter")
            for row in rows:
                members[row.person_id].evidence.setdefault(kind, []).append(row)
        by_household: dict[int, list[MemberSnapshot]] = {h.pk: [] for h in part}
        for member in members.values():
            by_household[member.membership.household_id].append(member)
        result.extend(HouseholdSnapshot(household=h, as_of=as_of, members=by_household[h.pk]) for h in part)
    return result


def household_timeline(household: Household) -> list[tuple[dt.date, str, Evidence | Membership]]:
    """Every dated fact of the household's members (past and present), newest first, for the history view."""
    memberships = list(Membership.objects.filter(household=household).select_related("person"))
    person_ids = {m.person_id for m in memberships}
    events: list[tuple[dt.date, str, Evidence | Membership]] = [(m.valid_from, "membership", m) for m in memberships]
    for model in EVIDENCE_MODELS:
        for row in model.objects.filter(person_id__in=person_ids).select_related("person"):
            events.append((row.valid_from, model._meta.model_name, row))
    events.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return events


def _valid_on(row, day: dt.date) -> bool:
    """``DatedQuerySet.as_of`` for a row already loaded: inclusive ``valid_from``/``valid_to``, open end."""
    return row.valid_from <= day and (row.valid_to is None or row.valid_to >= day)


def household_record(household: Household, *, as_of: dt.date) -> tuple[HouseholdSnapshot, list]:
    """``household_snapshot`` and ``household_timeline`` of one household from one read of its facts (one query
    per kind of fact instead of two: the household page needs both)."""
    memberships = list(Membership.objects.filter(household=household).select_related("person").order_by("id"))
    # Every fact belongs to one of these persons: it gets the Person already loaded (no join, no second copy).
    persons = {m.person_id: m.person for m in memberships}
    members = {m.person_id: MemberSnapshot(membership=m, person=m.person) for m in memberships if _valid_on(m, as_of)}
    events: list[tuple[dt.date, str, Evidence | Membership]] = [(m.valid_from, "membership", m) for m in memberships]
    for model in EVIDENCE_MODELS:
        kind = model._meta.model_name
        rows = model.objects.filter(person_id__in=list(persons)).order_by("valid_from", "id")
        if kind == "supportobligation":
            rows = rows.select_related("supporter")
        for row in rows:
            row.person = persons[row.person_id]
            events.append((row.valid_from, kind, row))
            if row.person_id in members and _valid_on(row, as_of):
                members[row.person_id].evidence.setdefault(kind, []).append(row)
    events.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return HouseholdSnapshot(household=household, as_of=as_of, members=list(members.values())), events


def person_get(*, actor: User, pk: int, action: str = Action.VIEW) -> Person:
    person = Person.objects.restrict(actor, action).filter(pk=pk).first()
    if person is None:
        raise NotFoundOrForbidden(_("未找到该人员，或不在您的辖区内"))
    return person


# Who counts (S1 Art 7), age, ability to work (S2 Art 5) and the care tier (S2 Art 22) are the rules engine's,
# under the household's profile: the eligibility app (above this one) installs the provider at start-up
# (``EligibilityConfig.ready`` → ``eligibility.facts.snapshot_facts``), so the registry never restates a rule.
_facts_provider: Callable[[HouseholdSnapshot], dict[int, dict[str, Any]]] | None = None


def install_member_facts(provider: Callable[[HouseholdSnapshot], dict[int, dict[str, Any]]]) -> None:
    global _facts_provider
    _facts_provider = provider


def member_facts(snapshot: HouseholdSnapshot) -> dict[int, dict[str, Any]]:
    """person id → the engine's facts (``rules.member_status``: counted, not_counted {code, text}, age,
    able_to_work, care_tier, tekun_target); {} when no provider is installed (nothing is guessed here)."""
    return _facts_provider(snapshot) if _facts_provider is not None else {}


def attach_heads(rows, *, attr: str = "household", as_of: dt.date | None = None) -> list:
    """Give every row's household (``row.<attr>``, already loaded) its current head as ``household.head`` (a Person
    or None), in one query for the whole page, so a list can show 户主姓名 instead of an 18-digit household number.
    ``attr=""`` means the rows are households themselves. Returns the rows as a list (evaluate a page once)."""
    from doudi.registry.choices import Relationship

    rows = list(rows)
    households = [getattr(r, attr) if attr else r for r in rows]
    ids = {h.pk for h in households if h is not None}
    if not ids:
        return rows
    day = as_of or timezone.localdate()
    heads = {
        m.household_id: m.person
        for m in Membership.objects.filter(household_id__in=ids, relationship=Relationship.HEAD)
        .as_of(day).select_related("person").only("household_id", "person__name", "person__id_number")
    }
    for h in households:
        if h is not None:
            h.head = heads.get(h.pk)
    return rows
