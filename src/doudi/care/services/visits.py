"""探访关爱: the visiting list and a visit recorded on the phone, with the need found routed to the app that owns it.

- a department need (medical, education, housing, employment) → ``referrals.services.referral_create``;
- temporary assistance or a change in the family → ``monitoring.services.alerts.discovery_report`` (一上一下: the
  township confirms it, never the visitor, and the confirmation starts the application or the identification);
- a service need (care, company) → the social-forces needs list (``socialforces.services.need_create``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, snapshot
from doudi.benefits.choices import Program
from doudi.care.choices import REFERRAL_NEEDS, NeedFound, VisitGroup, VisitMethod
from doudi.care.errors import CareError, Code
from doudi.care.models import CareVisit, VisitTarget
from doudi.care.services.common import person_household
from doudi.core.errors import NotFoundOrForbidden
from doudi.monitoring.choices import IdentificationCategory, Response
from doudi.monitoring.services.alerts import discovery_report
from doudi.monitoring.services.responses import Proposal, live_entitlement
from doudi.referrals.services import referral_create
from doudi.registry.models import Person
from doudi.socialforces.choices import NeedSource
from doudi.socialforces.services.matching import need_create

if TYPE_CHECKING:
    from doudi.accounts.models import User

MAX_PHOTO = 8_000_000


@dataclass(frozen=True)
class VisitInput:
    visited_on: dt.date
    method: str
    findings: str
    need: str = ""
    need_detail: str = ""
    requested_fen: int = 0  # temporary assistance asked for
    signature: bytes = b""  # the visitor's signature, for needs the township confirms (monitoring)
    photo: object | None = None


@transaction.atomic
def target_add(*, actor: User, person: Person, group: str, since: dt.date, note: str = "") -> VisitTarget:
    household = person_household(actor, person=person, day=since)
    if group not in VisitGroup.values:
        raise CareError(_("请选择探访对象类别"), code=Code.REQUIRED, field="group")
    if VisitTarget.objects.filter(person=person, group=group, until__isnull=True).exists():
        raise CareError(_("该人员已在此类探访对象名单中"), code=Code.ALREADY_TARGET, field="group")
    target = VisitTarget.objects.create(person=person, household=household, region_id=household.region_id,
                                        group=group, since=since, note=note.strip()[:200])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=target, region_code=target.region_id,
                 changes=snapshot(target))
    return target


def _check(data: VisitInput) -> None:
    if not data.findings.strip():
        raise CareError(_("请填写探访情况"), code=Code.REQUIRED, field="findings")
    if data.visited_on > timezone.localdate():
        raise CareError(_("探访日期不能晚于今天"), code=Code.BAD_DATE, field="visited_on")
    if data.method not in VisitMethod.values:
        raise CareError(_("请选择探访方式"), code=Code.REQUIRED, field="method")
    if data.need not in NeedFound.values:
        raise CareError(_("请选择发现的需求"), code=Code.REQUIRED, field="need")
    if data.need and not data.need_detail.strip():
        raise CareError(_("发现需求时请写明需求情况"), code=Code.REQUIRED, field="need_detail")
    photo = data.photo
    if photo is not None and (photo.size > MAX_PHOTO
                              or not str(getattr(photo, "content_type", "")).startswith("image/")):
        raise CareError(_("现场照片须为不超过 8 MB 的图片"), code=Code.BAD_PHOTO, field="photo")


def _route(actor: User, visit: CareVisit, data: VisitInput) -> str:
    household = visit.target.household
    statement = _("探访关爱发现（%(group)s）：%(detail)s") % {
        "group": visit.target.get_group_display(), "detail": data.need_detail.strip()}
    if data.need in REFERRAL_NEEDS:
        referral = referral_create(actor=actor, household=household, need_type=data.need,
                                   need_detail=statement[:500])
        return f"referrals.referral:{referral.pk}"
    if data.need in (NeedFound.TEMPORARY, NeedFound.WARNING):
        if data.need == NeedFound.TEMPORARY:
            proposal = Proposal(Response.APPLY, Program.TEMPORARY, statement, data.requested_fen)
        elif live_entitlement(household) is not None:
            proposal = Proposal(Response.REVIEW, "", statement)
        else:
            proposal = Proposal(Response.IDENTIFY, IdentificationCategory.MARGIN, statement)
        alert = discovery_report(actor=actor, household=household, findings=f"{data.findings.strip()}\n{statement}",
                                 proposal=proposal, signature=data.signature, visited_on=data.visited_on)
        return f"monitoring.alert:{alert.pk}"
    if data.need == NeedFound.SERVICE:
        need = need_create(actor=actor, household=household, person=visit.target.person,
                           source=NeedSource.VISIT, description=data.need_detail.strip())
        return f"socialforces.need:{need.pk}"
    return ""


@transaction.atomic
def visit_record(*, actor: User, target: VisitTarget | int, data: VisitInput) -> CareVisit:
    pk = getattr(target, "pk", target)
    found = VisitTarget.objects.restrict(actor, Action.CHANGE).select_related("household", "person").filter(
        pk=pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该探访对象，或不在您的辖区内"))
    _check(data)
    visit = CareVisit.objects.create(
        target=found, region_id=found.region_id, visitor=actor, visited_on=data.visited_on, method=data.method,
        findings=data.findings.strip(), photo=data.photo or "", need=data.need,
        need_detail=data.need_detail.strip()[:300])
    ref = _route(actor, visit, data)
    if ref:
        visit.outcome_ref = ref
        visit.save(update_fields=["outcome_ref"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=visit, region_code=visit.region_id,
                 changes={"target": found.pk, "need": data.need, "outcome": ref})
    return visit
