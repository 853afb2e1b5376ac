"""The register of organisations, social workers and volunteers, and the time bank of service hours."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, snapshot
from doudi.regions.models import Region
from doudi.socialforces.choices import HelperKind, OrgKind
from doudi.socialforces.errors import Code, SocialForcesError
from doudi.socialforces.models import Helper, Organisation, ServiceHours
from doudi.socialforces.services.common import check_region, scoped

if TYPE_CHECKING:
    from doudi.accounts.models import User


@transaction.atomic
def organisation_register(*, actor: User, region: Region, name: str, kind: str, credit_code: str = "",
                          contact: str = "", services: str = "") -> Organisation:
    check_region(actor, region=region)
    if not name.strip():
        raise SocialForcesError(_("请填写组织名称"), code=Code.REQUIRED, field="name")
    if kind not in OrgKind.values:
        raise SocialForcesError(_("请选择组织类别"), code=Code.REQUIRED, field="kind")
    org = Organisation.objects.create(region=region, name=name.strip()[:100], kind=kind,
                                      credit_code=credit_code.strip()[:18], contact=contact.strip()[:100],
                                      services=services.strip()[:200])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=org, region_code=region.code, changes=snapshot(org))
    return org


@transaction.atomic
def helper_register(*, actor: User, region: Region, kind: str, name: str, phone: str = "",
                    organisation: Organisation | None = None, qualification: str = "") -> Helper:
    check_region(actor, region=region)
    if kind not in HelperKind.values or not name.strip():
        raise SocialForcesError(_("请填写姓名并选择类别"), code=Code.REQUIRED, field="name")
    if organisation is not None:
        organisation = scoped(Organisation, actor=actor, pk=organisation, action="view")
    helper = Helper.objects.create(region=region, kind=kind, name=name.strip()[:50], phone=phone.strip()[:20],
                                   organisation=organisation, qualification=qualification.strip()[:50])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=helper, region_code=region.code,
                 changes={"kind": kind, "organisation": getattr(organisation, "pk", None)})
    return helper


def hours_balance(helper: Helper) -> int:
    return ServiceHours.objects.filter(helper=helper).aggregate(t=Sum("minutes"))["t"] or 0


@transaction.atomic
def hours_record(*, actor: User, helper: Helper | int, served_on: dt.date, minutes: int,
                 description: str) -> ServiceHours:
    """Bank hours served (positive) or redeem banked hours (negative, never below the balance)."""
    found = scoped(Helper, actor=actor, pk=helper, lock=True)
    if served_on > timezone.localdate():
        raise SocialForcesError(_("服务日期不能晚于今天"), code=Code.BAD_DATE, field="served_on")
    if minutes == 0 or abs(minutes) > 24 * 60:
        raise SocialForcesError(_("时长须在 1 分钟到 24 小时之间"), code=Code.BAD_AMOUNT, field="minutes")
    if minutes < 0 and hours_balance(found) + minutes < 0:
        raise SocialForcesError(_("兑换时长超过时间银行余额"), code=Code.BAD_AMOUNT, field="minutes")
    if not description.strip():
        raise SocialForcesError(_("请填写服务内容"), code=Code.REQUIRED, field="description")
    row = ServiceHours.objects.create(helper=found, served_on=served_on, minutes=minutes,
                                      description=description.strip()[:200], recorded_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, region_code=found.region_id,
                 changes={"minutes": minutes, "served_on": served_on.isoformat()})
    return row
