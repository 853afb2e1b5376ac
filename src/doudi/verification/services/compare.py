"""Declared against found: the discrepancies of one verification run (what a department holds that the registry
does not say, or says differently, beyond a tolerance)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext as _

from doudi.core.money import format_yuan
from doudi.registry.models import Asset, Income, Person
from doudi.verification.choices import (
    ASSET_KIND_FOR_CATEGORY,
    DEATH_KIND,
    INCOME_CATEGORIES,
    DiscrepancyKind,
    SourceCategory,
)
from doudi.verification.models import Discrepancy, VerificationRequest
from doudi.verification.sources import Finding

# Tolerance before an amount counts as "different": 10 % of the declared amount or 100 yuan, whichever is larger.
# Local practice, not a national figure (UNCONFIRMED); counties may tune it.
TOLERANCE_RATIO_PERCENT = 10
TOLERANCE_MIN_FEN = 10_000


def _beyond_tolerance(declared: int, found: int) -> bool:
    tolerance = max(declared * TOLERANCE_RATIO_PERCENT // 100, TOLERANCE_MIN_FEN)
    return abs(found - declared) > tolerance


def _yuan(fen: int | None) -> str:
    return _("%(amount)s 元") % {"amount": format_yuan(fen)}


def compare(req: VerificationRequest, *, persons: list[Person], findings: list[Finding]) -> list[Discrepancy]:
    """Declared (the registry's evidence valid on the day) against found. Pure apart from reading evidence.

    Income: per person and income kind, each department's total; the largest counts (tax and social insurance report
    the same wage, so they are not added). Property: per person and asset kind, the total value and quantity.
    A department not reporting something proves nothing, so only what a department *holds* is flagged.
    """
    declared = _declared(req, persons)
    found = _found(persons, findings)
    by_pk = {p.pk: p for p in persons}
    out = [
        _income_discrepancy(by_pk[pid], kind, per_category, declared.income.get((pid, kind), 0))
        for (pid, kind), per_category in found.income.items()
    ]
    out += [
        _asset_discrepancy(by_pk[pid], kind, rows, declared.assets.get((pid, kind), (0, 0)))
        for (pid, kind), rows in found.assets.items()
    ]
    out += [_death_discrepancy(by_pk[pid], fd) for pid, fd in found.deaths.items()]
    return [d for d in out if d is not None]


@dataclass
class _Declared:
    income: dict[tuple[int, str], int]  # (person, income kind) → monthly fen
    assets: dict[tuple[int, str], list[int]]  # (person, asset kind) → [value fen, quantity]


@dataclass
class _Found:
    income: dict[tuple[int, str], dict[str, list[Finding]]]  # (person, income kind) → department → findings
    assets: dict[tuple[int, str], list[Finding]]  # (person, asset kind) → findings
    deaths: dict[int, Finding]  # person → the earliest death record


def _declared(req: VerificationRequest, persons: list[Person]) -> _Declared:
    ids = [p.pk for p in persons]
    income: dict[tuple[int, str], int] = defaultdict(int)
    for inc in Income.objects.filter(person_id__in=ids).as_of(req.as_of):
        income[(inc.person_id, inc.kind)] += inc.monthly_fen
    assets: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for asset in Asset.objects.filter(person_id__in=ids).as_of(req.as_of):
        assets[(asset.person_id, asset.kind)][0] += asset.value_fen
        assets[(asset.person_id, asset.kind)][1] += asset.quantity
    return _Declared(income, assets)


def _found(persons: list[Person], findings: list[Finding]) -> _Found:
    by_id = {p.id_number: p for p in persons}
    found = _Found(defaultdict(lambda: defaultdict(list)), defaultdict(list), {})
    for fd in findings:
        person = by_id.get(fd.id_number)
        if person is None:
            continue
        if fd.category in INCOME_CATEGORIES and fd.amount_fen:
            found.income[(person.pk, fd.kind)][fd.category].append(fd)
        elif fd.category in ASSET_KIND_FOR_CATEGORY:
            found.assets[(person.pk, ASSET_KIND_FOR_CATEGORY[fd.category])].append(fd)
        elif fd.category == SourceCategory.CIVIL_REGISTRY and fd.kind == DEATH_KIND:
            if person.pk not in found.deaths or fd.valid_from < found.deaths[person.pk].valid_from:
                found.deaths[person.pk] = fd
    return found


def _income_discrepancy(person: Person, kind: str, per_category: dict[str, list[Finding]],
                        declared: int) -> Discrepancy | None:
    category, rows = max(per_category.items(), key=lambda item: sum(f.amount_fen or 0 for f in item[1]))
    found = sum(f.amount_fen or 0 for f in rows)
    label = Income(kind=kind).get_kind_display()
    if declared == 0:
        dkind = DiscrepancyKind.UNDECLARED_INCOME
        text = _("%(name)s：%(src)s显示有%(label)s每月 %(found)s，申报中未列明") % {
            "name": person.name,
            "src": SourceCategory(category).label,
            "label": label,
            "found": _yuan(found),
        }
    elif _beyond_tolerance(declared, found):
        dkind = DiscrepancyKind.INCOME_DIFFERS
        text = _("%(name)s：%(label)s申报每月 %(declared)s，%(src)s显示每月 %(found)s") % {
            "name": person.name,
            "label": label,
            "declared": _yuan(declared),
            "src": SourceCategory(category).label,
            "found": _yuan(found),
        }
    else:
        return None
    return Discrepancy(
        person=person,
        kind=dkind,
        category=category,
        evidence_kind=kind,
        declared_fen=declared or None,
        found_fen=found,
        found_from=min(f.valid_from for f in rows),
        detail="；".join(f.detail for f in rows if f.detail)[:200],
        source="；".join(sorted({f.source for f in rows}))[:100],
        description=text[:300],
    )


def _asset_discrepancy(person: Person, kind: str, rows: list[Finding], declared: tuple[int, int]) -> Discrepancy | None:
    found_value = sum(f.value_fen or 0 for f in rows)
    found_qty = sum(f.quantity for f in rows)
    declared_value, declared_qty = declared
    label = Asset(kind=kind).get_kind_display()
    category = rows[0].category
    if declared_qty == 0:
        dkind = DiscrepancyKind.UNDECLARED_ASSET
        text = _("%(name)s：%(src)s查到%(label)s %(qty)d 项（价值 %(value)s），申报中未列明") % {
            "name": person.name,
            "src": SourceCategory(category).label,
            "label": label,
            "qty": found_qty,
            "value": _yuan(found_value),
        }
    elif found_qty > declared_qty or _beyond_tolerance(declared_value, found_value):
        dkind = DiscrepancyKind.ASSET_DIFFERS
        text = _("%(name)s：%(label)s申报 %(dq)d 项、价值 %(dv)s，%(src)s显示 %(fq)d 项、价值 %(fv)s") % {
            "name": person.name,
            "label": label,
            "dq": declared_qty,
            "dv": _yuan(declared_value),
            "src": SourceCategory(category).label,
            "fq": found_qty,
            "fv": _yuan(found_value),
        }
    else:
        return None
    return Discrepancy(
        person=person,
        kind=dkind,
        category=category,
        evidence_kind=kind,
        declared_fen=declared_value if declared_qty else None,
        found_fen=found_value,
        found_quantity=max(found_qty, 1),
        found_from=min(f.valid_from for f in rows),
        detail="；".join(f.detail for f in rows if f.detail)[:200],
        source="；".join(sorted({f.source for f in rows}))[:100],
        description=text[:300],
    )


def _death_discrepancy(person: Person, fd: Finding) -> Discrepancy | None:
    if person.date_of_death == fd.valid_from:
        return None
    return Discrepancy(
        person=person,
        kind=DiscrepancyKind.DEATH,
        category=SourceCategory.CIVIL_REGISTRY,
        found_from=fd.valid_from,
        detail=fd.detail[:200],
        source=fd.source[:100],
        description=(
            _("%(name)s：%(src)s登记于 %(day)s 死亡，仍登记为家庭成员，请核实并办理成员减少")
            % {"name": person.name, "src": fd.source, "day": fd.valid_from.isoformat()}
        )[:300],
    )
