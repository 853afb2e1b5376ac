"""Writes to the relatives register: each entry with its audit event, in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import NotFoundOrForbidden
from doudi.core.ids import normalize, parse_resident_id
from doudi.regions.models import Region
from doudi.relatives.models import CadreRelative

if TYPE_CHECKING:
    from doudi.accounts.models import User


@transaction.atomic
def cadre_relative_add(*, actor: User, region: Region, cadre_name: str, cadre_role: str, relative_name: str,
                       relative_id_number: str, kinship: str) -> CadreRelative:
    if not allows(actor, Action.CHANGE, region.code):
        raise NotFoundOrForbidden(_("未找到该区划，或不在您的辖区内"))
    number = parse_resident_id(normalize(relative_id_number)).number
    row = CadreRelative.objects.create(
        region=region, cadre_name=cadre_name, cadre_role=cadre_role, relative_name=relative_name,
        relative_id_number=number, kinship=kinship, recorded_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, region_code=region.code)
    return row
