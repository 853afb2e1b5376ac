"""Reads of the relatives register, scoped to county and township staff (fails closed)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes, region_q
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.regions.models import Region
from doudi.registry.models import Household, Membership
from doudi.relatives.models import CadreRelative

if TYPE_CHECKING:
    from doudi.accounts.models import User

STAFF_REACH = 9  # township (9-digit prefix) or wider: the relatives register is kept by county and township staff


def _staff_prefixes(actor: User) -> list[str]:
    return [p for p in region_prefixes(actor, Action.CHANGE) if len(p) <= STAFF_REACH]


def staff_regions(*, actor: User) -> list[Region]:
    """Townships and counties where ``actor`` is county or township staff with the change right (not villages)."""
    q = region_q("code", _staff_prefixes(actor))
    if q is None:
        return []
    return list(Region.objects.filter(q, level__in=["county", "township", "village"]).order_by("code")[:500])


def has_staff_regions(*, actor: User) -> bool:
    """``bool(staff_regions(actor=…))`` without loading the regions (a menu link on every case list)."""
    q = region_q("code", _staff_prefixes(actor))
    return q is not None and Region.objects.filter(q, level__in=["county", "township", "village"]).exists()


def cadre_relatives(*, actor: User, q: str = "") -> QuerySet:
    """The register, scoped to the regions where the actor is county or township staff (fails closed)."""
    scope = region_q("region__code", _staff_prefixes(actor))
    if scope is None:
        return CadreRelative.objects.none()
    qs = CadreRelative.objects.filter(scope).select_related("region").order_by("region__code", "cadre_name", "id")
    if q:
        qs = qs.filter(Q(cadre_name__contains=q) | Q(relative_name__contains=q) | Q(relative_id_number=q))
    return qs


def relatives_matches(household: Household, *, day: dt.date) -> list[CadreRelative]:
    """Register entries whose relative is a current member of the household (matched by ID number, S1 Art 11).
    Read by the case workflow when it accepts an application, whoever accepts it: not scoped to the actor."""
    ids = Membership.objects.filter(household=household).as_of(day).values_list("person__id_number", flat=True)
    return list(CadreRelative.objects.filter(relative_id_number__in=list(ids)))


def cadre_relatives_shown(*, actor: User, rows: list[CadreRelative], q: str = "") -> list[CadreRelative]:
    """The register page shows full ID numbers: every view is audited (issue 9), one event per region shown, naming
    the entries on the page (the search text is kept out: it may be an ID number)."""
    by_region: dict[str, list[int]] = {}
    for row in rows:
        by_region.setdefault(row.region_id, []).append(row.pk)
    for region_code, ids in by_region.items():
        audit_record(actor=actor, action=AuditAction.VIEW, object_type=CadreRelative._meta.label_lower,
                     object_repr=str(CadreRelative._meta.verbose_name), region_code=region_code,
                     changes={"shown": ids, "searched": bool(q)})
    return rows
