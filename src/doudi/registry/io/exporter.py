"""Export households in the user's scope in the template's column layout (台账导出).

Two versions:
- the **reading copy** (default, 查阅版): ID numbers and bank accounts masked, health cells (disability, illness)
  left empty, so a list passed around an office leaks no personal data it does not need;
- the **full ledger** (``full=True``, 完整台账, for editing in Excel and re-importing): the round trip matches persons
  by 身份证号码, so it carries full numbers. It needs both ``export`` and ``view_full`` in every exported region and is
  audited as a full export.
Either way exporting needs the ``export`` action (township caseworker, civil affairs, auditor, administrator — see
``accounts.permissions``), is scoped by ``restrict(user, ...)`` and is audited every time with the count and the
filter, never with ID numbers.

Rows are produced a chunk of households at a time (a handful of queries per 500 households), so a 20 000-row export
never holds the whole registry in memory: CSV is streamed to the client, .xlsx is streamed to a temporary file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import actor_region_code, audit_record
from doudi.core import exports
from doudi.core.ids import mask_account, mask_ids_in_text, mask_resident_id
from doudi.core.money import fen_to_yuan
from doudi.registry.choices import AssetKind, Relationship
from doudi.registry.io.columns import COLUMNS, HEADERS, MONEY_EVIDENCE, value_labels
from doudi.registry.io.reader import DATA_SHEET
from doudi.registry.models import (
    Asset,
    Disability,
    Employment,
    Expense,
    Household,
    Illness,
    Income,
    Membership,
    Schooling,
    WorkAbility,
)
from doudi.registry.selectors import household_list

if TYPE_CHECKING:
    from doudi.accounts.models import User

CHUNK = 500
EVIDENCE = (Income, Expense, Asset, Disability, Illness, WorkAbility, Employment, Schooling)
MONEY_MODELS = {"income": Income, "expense": Expense, "asset": Asset}


@dataclass
class Export:
    count: int
    rows: Iterator[list]


def registry_export(
    *, actor: User, fmt: str, query: str = "", region_code: str = "", as_of: dt.date | None = None, full: bool = False
) -> Export:
    """Households the actor may export (optionally filtered like the household list), audited once."""
    qs = household_list(actor=actor, query=query, region_code=region_code, action=Action.EXPORT)
    if full:
        qs = qs.filter(pk__in=Household.objects.restrict(actor, Action.VIEW_FULL).values("pk"))
    ids = list(qs.values_list("pk", flat=True))
    as_of = as_of or timezone.localdate()
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        object_type="registry.household",
        object_repr=_("台账导出 %(n)d 户") % {"n": len(ids)},
        region_code=region_code or actor_region_code(actor),
        changes={
            "count": len(ids),
            "format": fmt,
            "q": mask_ids_in_text(query),
            "region": region_code,
            "as_of": as_of.isoformat(),
            "full": full,
        },
    )
    rows = _rows(ids, as_of)
    return Export(count=len(ids), rows=rows if full else _reading_copy(rows))


_HEALTH = {"disability_type", "disability_grade", "illness", "serious_illness"}


def _reading_copy(rows: Iterator[list]) -> Iterator[list]:
    """Mask IDs and bank accounts, drop health facts (the reading copy of the ledger)."""
    names = [c.key for c in COLUMNS]
    id_at, bank_at = names.index("id_number"), names.index("bank_account")
    health_at = [i for i, name in enumerate(names) if name in _HEALTH]
    for row in rows:
        row = list(row)
        if row[id_at]:
            row[id_at] = mask_resident_id(row[id_at])
        if row[bank_at]:
            row[bank_at] = mask_account(row[bank_at])
        for i in health_at:
            row[i] = None
        yield row


def _rows(ids: list[int], as_of: dt.date) -> Iterator[list]:
    labels = value_labels()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        households = Household.objects.filter(pk__in=chunk).order_by("number")
        members: dict[int, list[Membership]] = defaultdict(list)
        for m in Membership.objects.filter(household_id__in=chunk).as_of(as_of).select_related("person"):
            members[m.household_id].append(m)
        person_ids = [m.person_id for ms in members.values() for m in ms]
        evidence: dict[tuple[type, int], list] = defaultdict(list)
        for model in EVIDENCE:
            for e in model.objects.filter(person_id__in=person_ids).as_of(as_of).order_by("valid_from", "id"):
                evidence[(model, e.person_id)].append(e)
        for household in households:
            base = _household_cells(household, labels)
            ms = sorted(members.get(household.pk, []), key=lambda m: (m.relationship != Relationship.HEAD, m.id))
            if not ms:
                yield base + [None] * (len(COLUMNS) - len(base))
            for m in ms:
                yield base + _person_cells(m, evidence, labels)


def _household_cells(h: Household, labels) -> list:
    return [
        h.number,
        h.region_id,
        h.address,
        labels["area_type"].get(h.area_type, h.area_type),
        h.phone,
        h.bank_name,
        h.bank_account,
        h.account_holder,
    ]


def _person_cells(m: Membership, evidence, labels) -> list:
    p = m.person

    def rows(model, **match):
        return [e for e in evidence.get((model, p.pk), []) if all(getattr(e, k) == v for k, v in match.items())]

    money = []
    for model_name, kind in MONEY_EVIDENCE.values():
        model = MONEY_MODELS[model_name]
        found = rows(model, kind=kind)
        attr = "value_fen" if model is Asset else "monthly_fen"
        money.append(fen_to_yuan(sum(getattr(e, attr) for e in found)) if found else None)
    *income_expense, deposit = money
    disability = next(iter(rows(Disability)), None)
    illnesses = sorted(rows(Illness), key=lambda e: not e.serious)
    illness = illnesses[0] if illnesses else None
    work = next(iter(rows(WorkAbility)), None)
    job = next(iter(rows(Employment)), None)
    school = next(iter(rows(Schooling)), None)
    vehicles = rows(Asset, kind=AssetKind.VEHICLE)
    return [
        p.id_number,
        p.name,
        labels["relationship"].get(m.relationship, m.relationship),
        m.valid_from,
        p.ethnicity,
        p.phone,
        *income_expense,
        labels["disability_type"].get(disability.type) if disability else None,
        labels["disability_grade"].get(disability.grade) if disability else None,
        illness.diagnosis if illness else None,
        labels["serious_illness"].get(illness.serious) if illness else None,
        labels["work_ability"].get(work.level) if work else None,
        labels["employment"].get(job.status) if job else None,
        labels["school_level"].get(school.level) if school else None,
        deposit,
        sum(e.quantity for e in vehicles) if vehicles else None,
    ]


def csv_chunks(rows: Iterator[list]) -> Iterator[str]:
    """UTF-8 with BOM (so Excel opens it with the right encoding), streamed; see ``core.exports``."""
    return exports.csv_chunks(HEADERS, rows)


def xlsx_file(rows: Iterator[list]):
    """A write-only workbook in the template's layout, spooled to a temporary file; returns the open file."""
    return exports.xlsx_file(HEADERS, rows, title=DATA_SHEET, widths=[c.width for c in COLUMNS])
