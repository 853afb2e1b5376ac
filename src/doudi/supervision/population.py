"""Who can be drawn and who can inspect, in a fixed order (by id) so a draw can be re-run."""

from __future__ import annotations

import datetime as dt

from doudi.accounts.choices import Role
from doudi.accounts.models import RegionGrant
from doudi.benefits.choices import EntitlementStatus
from doudi.benefits.models import Entitlement
from doudi.cases.models import Application
from doudi.regions.choices import Level
from doudi.regions.models import Region
from doudi.supervision.choices import Risk

INSPECTOR_ROLES = (Role.CIVIL_AFFAIRS, Role.TOWNSHIP_CASEWORKER)
LOCAL_LEVELS = (Level.TOWNSHIP, Level.VILLAGE)


def candidates(*, region: Region, program: str, risk: str, as_of: dt.date) -> list[tuple[int, str]]:
    """(entitlement id, village code) of every recipient in the round's population, ordered by entitlement id."""
    qs = Entitlement.objects.filter(household__region__code__startswith=region.prefix,
                                    status__in=(EntitlementStatus.ACTIVE, EntitlementStatus.GRACE),
                                    start_month__lte=as_of)
    if program:
        qs = qs.filter(program=program)
    if risk == Risk.RELATIVES:
        qs = qs.filter(household_id__in=Application.objects.filter(relatives_flag=True).values("household_id"))
    elif risk == Risk.NEW:
        qs = qs.filter(start_month__gt=as_of - dt.timedelta(days=365))
    return list(qs.order_by("id").values_list("id", "household__region_id"))


def inspector_pool(*, region: Region) -> tuple[list[int], dict[int, list[str]]]:
    """Ids of the staff who may inspect in ``region`` (执法检查人员名录: civil-affairs and township staff with a grant
    inside it), and for each the prefixes of the townships/villages where they work (for 回避)."""
    grants = RegionGrant.objects.filter(region__code__startswith=region.prefix, role__in=INSPECTOR_ROLES,
                                        user__is_active=True).select_related("region")
    local: dict[int, list[str]] = {}
    for g in grants:
        local.setdefault(g.user_id, [])
        if g.region.level in LOCAL_LEVELS:
            local[g.user_id].append(g.region.prefix)
    return sorted(local), local
