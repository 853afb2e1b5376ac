"""Locality settings (地方办理设置): the choices a county makes for its townships — delegating confirmation
(S1 Art 2; S4 item 24). The temporary-assistance limits are the policy profile's (``selectors.temporary_limits``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from doudi.accounts.choices import Role
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.cases.errors import CaseError, Code
from doudi.cases.models import LocalitySetting
from doudi.core.errors import NotFoundOrForbidden
from doudi.regions.choices import Level
from doudi.regions.models import Region

if TYPE_CHECKING:
    from doudi.accounts.models import User

# Only civil-affairs departments and administrators set these; a township never raises its own limit.
SETTING_ROLES = frozenset({Role.CIVIL_AFFAIRS, Role.ADMINISTRATOR})


def settings_prefixes(actor: User) -> list[str]:
    """Region code prefixes where ``actor`` may change locality settings (fails closed: no grant, nothing)."""
    from doudi.regions.choices import PREFIX_LENGTH

    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return []
    return sorted({g.region_id[: PREFIX_LENGTH[g.region.level]]
                   for g in actor.grants.select_related("region") if g.role in SETTING_ROLES})


@transaction.atomic
def locality_setting_save(*, actor: User, region: Region, township_confirms: bool) -> LocalitySetting:
    if not any(region.code.startswith(p) for p in settings_prefixes(actor)):
        raise NotFoundOrForbidden(_("未找到该区划，或您没有设置权限"))
    if region.level not in (Level.COUNTY, Level.TOWNSHIP):
        raise CaseError(_("办理设置在县（区）或乡镇（街道）一级"), code=Code.COUNTY_OR_TOWNSHIP_ONLY)
    row, _created = LocalitySetting.objects.select_for_update().get_or_create(region=region)
    before = {"township_confirms": row.township_confirms}
    row.township_confirms = township_confirms
    row.save()
    after = {"township_confirms": township_confirms}
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=row, region_code=region.code,
                 changes={k: [before[k], after[k]] for k in after if before[k] != after[k]})
    return row
