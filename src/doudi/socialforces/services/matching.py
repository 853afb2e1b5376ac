"""Needs list ↔ resources list (供需对接): a need (from an application, a visit or monitoring) is matched with a
resource, the service is delivered, and the family's feedback closes it."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, snapshot
from doudi.core.errors import NotFoundOrForbidden
from doudi.regions.models import Region
from doudi.registry.models import Household, Person
from doudi.socialforces.choices import NeedSource, NeedStatus, ResourceKind
from doudi.socialforces.errors import Code, SocialForcesError
from doudi.socialforces.models import Match, Need, Organisation, Resource
from doudi.socialforces.services.common import check_region, scoped

if TYPE_CHECKING:
    from doudi.accounts.models import User


@transaction.atomic
def need_create(*, actor: User, household: Household, source: str, description: str,
                person: Person | None = None) -> Need:
    found = Household.objects.restrict(actor, Action.CHANGE).filter(pk=household.pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该家庭，或不在您的辖区内"))
    if source not in NeedSource.values or not description.strip():
        raise SocialForcesError(_("请填写需求内容"), code=Code.REQUIRED, field="description")
    need = Need.objects.create(household=found, person=person, region_id=found.region_id, source=source,
                               description=description.strip()[:300], created_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=need, region_code=found.region_id,
                 changes=snapshot(need))
    return need


@transaction.atomic
def resource_create(*, actor: User, region: Region, organisation: Organisation | int, kind: str, title: str,
                    description: str = "", capacity: int = 1) -> Resource:
    check_region(actor, region=region)
    org = scoped(Organisation, actor=actor, pk=organisation, action=Action.VIEW)
    if kind not in ResourceKind.values or not title.strip():
        raise SocialForcesError(_("请填写资源名称并选择类别"), code=Code.REQUIRED, field="title")
    if capacity < 1:
        raise SocialForcesError(_("可服务户次至少为 1"), code=Code.BAD_AMOUNT, field="capacity")
    res = Resource.objects.create(region=region, organisation=org, kind=kind, title=title.strip()[:100],
                                  description=description.strip()[:300], capacity=capacity)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=res, region_code=region.code, changes=snapshot(res))
    return res


@transaction.atomic
def match_create(*, actor: User, need: Need | int, resource: Resource | int,
                 matched_on: dt.date | None = None) -> Match:
    found = scoped(Need, actor=actor, pk=need, lock=True)
    res = scoped(Resource, actor=actor, pk=resource, action=Action.VIEW, lock=True)
    if found.status != NeedStatus.OPEN:
        raise SocialForcesError(_("该需求已对接"), code=Code.BAD_STATE)
    if not found.region_id.startswith(res.region.prefix):
        raise SocialForcesError(_("该资源不覆盖需求所在区域"), code=Code.BAD_STATE, field="resource")
    if res.matches.count() >= res.capacity:
        raise SocialForcesError(_("该资源可服务户次已满"), code=Code.BAD_STATE, field="resource")
    match = Match.objects.create(need=found, resource=res, matched_by=actor,
                                 matched_on=matched_on or timezone.localdate())
    found.status = NeedStatus.MATCHED
    found.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=match, region_code=found.region_id,
                 changes={"need": found.pk, "resource": res.pk})
    return match


@transaction.atomic
def match_deliver(*, actor: User, match: Match | int, delivered_on: dt.date, note: str) -> Match:
    found = scoped(Match, actor=actor, pk=match, lock=True)
    if found.delivered_on is not None:
        raise SocialForcesError(_("该对接已登记服务完成"), code=Code.BAD_STATE)
    if delivered_on < found.matched_on or delivered_on > timezone.localdate():
        raise SocialForcesError(_("服务完成日期须在对接日期与今天之间"), code=Code.BAD_DATE, field="delivered_on")
    if not note.strip():
        raise SocialForcesError(_("请填写服务情况"), code=Code.REQUIRED, field="note")
    found.delivered_on, found.delivery_note = delivered_on, note.strip()[:300]
    found.save(update_fields=["delivered_on", "delivery_note"])
    Need.objects.filter(pk=found.need_id).update(status=NeedStatus.DELIVERED)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=found, region_code=found.need.region_id,
                 changes={"delivered_on": delivered_on.isoformat()})
    return found


@transaction.atomic
def match_feedback(*, actor: User, match: Match | int, satisfaction: int, feedback: str = "") -> Match:
    found = scoped(Match, actor=actor, pk=match, lock=True)
    if found.delivered_on is None:
        raise SocialForcesError(_("服务完成后才能登记反馈"), code=Code.BAD_STATE)
    if satisfaction not in range(1, 6):
        raise SocialForcesError(_("满意度为 1 到 5"), code=Code.BAD_AMOUNT, field="satisfaction")
    found.satisfaction, found.feedback = satisfaction, feedback.strip()[:300]
    found.save(update_fields=["satisfaction", "feedback"])
    Need.objects.filter(pk=found.need_id).update(status=NeedStatus.CLOSED)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=found, region_code=found.need.region_id,
                 changes={"satisfaction": satisfaction})
    return found
