"""A round: draw it (recorded, reproducible), verify it, publish its results (一公开)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.benefits.models import Entitlement
from doudi.core.errors import NotFoundOrForbidden
from doudi.core.workdays import add_working_days
from doudi.eligibility.services import params_for
from doudi.policy.services import values_as_of
from doudi.regions.choices import Level
from doudi.regions.models import Region
from doudi.supervision.choices import ItemStatus, Risk, RoundStatus
from doudi.supervision.draw import digest, draw
from doudi.supervision.errors import Code, SupervisionError
from doudi.supervision.models import InspectionItem, InspectionRound
from doudi.supervision.population import candidates, inspector_pool

if TYPE_CHECKING:
    from doudi.accounts.models import User

ORGANISING_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)
MAX_SAMPLE = 2000


@dataclass(frozen=True)
class RoundInput:
    region: Region
    title: str
    sample_size: int
    program: str = ""
    risk: str = Risk.ANY
    seed: int | None = None
    as_of: dt.date | None = None


def _inspectors_per_item(region: Region, as_of: dt.date) -> int:
    # Teams of at least the procedure's minimum number of investigators (S1 Art 16: 不少于2人).
    n = params_for(region.effective_profile(), as_of=as_of).get("procedure.min_investigators")
    if n is None:
        raise SupervisionError(_("本地政策配置未设置入户调查最少人数"), code=Code.NO_LIMITS)
    return n


def _excluded(village_of: dict[int, str], local: dict[int, list[str]]):
    return lambda cand, insp: any(village_of[cand].startswith(p) for p in local.get(insp, ()))


@transaction.atomic
def round_draw(*, actor: User, data: RoundInput) -> InspectionRound:
    """Draw recipients and inspectors at random (双随机) and record everything needed to re-run the draw."""
    region = data.region
    if region.level not in ORGANISING_LEVELS or not allows(actor, Action.DECIDE, region.code):
        raise NotFoundOrForbidden(_("只能在本人辖区的县级及以上区域组织抽查"))
    if not 1 <= data.sample_size <= MAX_SAMPLE:
        raise SupervisionError(_("抽取对象数须在1到%(n)d之间") % {"n": MAX_SAMPLE}, code=Code.BAD_SIZE,
                               field="sample_size")
    if not data.title.strip():
        raise SupervisionError(_("请填写批次名称"), code=Code.TEXT_REQUIRED, field="title")
    as_of = data.as_of or timezone.localdate()
    seed = data.seed if data.seed is not None else secrets.randbits(48)
    cands = candidates(region=region, program=data.program, risk=data.risk, as_of=as_of)
    if not cands:
        raise SupervisionError(_("该范围内没有可抽取的在保对象"), code=Code.EMPTY_POPULATION)
    pool, local = inspector_pool(region=region)
    per_item = _inspectors_per_item(region, as_of)
    if len(pool) < per_item:
        raise SupervisionError(_("检查人员名录不足%(n)d人，无法随机选派") % {"n": per_item}, code=Code.NO_INSPECTORS)
    ids = [c for c, _v in cands]
    drawn = draw(seed=seed, candidates=ids, pool=pool, sample_size=data.sample_size, per_item=per_item,
                 excluded=_excluded(dict(cands), local))
    rnd = InspectionRound.objects.create(
        region=region, title=data.title.strip()[:100], program=data.program, risk=data.risk,
        sample_size=data.sample_size, inspectors_per_item=per_item, seed=seed, as_of=as_of,
        population_count=len(ids), population_digest=digest(ids), candidate_ids=[list(c) for c in cands],
        pool_count=len(pool), pool_digest=digest(pool), pool_ids=[[i, local[i]] for i in pool], created_by=actor)
    households = dict(Entitlement.objects.filter(pk__in=[d.candidate for d in drawn])
                      .values_list("id", "household_id"))
    # Up to MAX_SAMPLE items: two inserts in all, not one item and one team at a time.
    items = InspectionItem.objects.bulk_create(
        [InspectionItem(round=rnd, position=position, entitlement_id=d.candidate, household_id=households[d.candidate])
         for position, d in enumerate(drawn, start=1)])
    team = InspectionItem.inspectors.through
    team.objects.bulk_create([team(inspectionitem_id=item.pk, user_id=u)
                              for item, d in zip(items, drawn, strict=True) for u in d.inspectors])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=rnd, region_code=region.code,
                 changes={"seed": seed, "population": len(ids), "sample": len(drawn), "pool": len(pool)})
    return rnd


def round_verify(*, round: InspectionRound) -> bool:
    """Re-run the recorded draw and compare it with the items (and the digests with the recorded lists). Uses only
    what the round recorded: the candidates with their villages and the pool with where each inspector works."""
    ids = [c for c, _v in round.candidate_ids]
    pool = [i for i, _p in round.pool_ids]
    if digest(ids) != round.population_digest or digest(pool) != round.pool_digest:
        return False
    villages = {c: v for c, v in round.candidate_ids}
    local = {i: p for i, p in round.pool_ids}
    again = draw(seed=round.seed, candidates=ids, pool=pool, sample_size=round.sample_size,
                 per_item=round.inspectors_per_item, excluded=_excluded(villages, local))
    recorded = [(i.entitlement_id, tuple(sorted(u.pk for u in i.inspectors.all())))
                for i in round.items.order_by("position").prefetch_related("inspectors")]
    return recorded == [(d.candidate, d.inspectors) for d in again]


@transaction.atomic
def round_publish(*, actor: User, round: InspectionRound | int, summary: str) -> InspectionRound:
    """一公开: results go public once every item is inspected; the public page shows counts only."""
    pk = getattr(round, "pk", round)
    rnd = InspectionRound.objects.restrict(actor, Action.DECIDE).select_for_update().filter(pk=pk).first()
    if rnd is None:
        raise NotFoundOrForbidden(_("未找到该抽查批次，或不在您的辖区内"))
    if rnd.status == RoundStatus.PUBLISHED:
        raise SupervisionError(_("该批次结果已公开"), code=Code.ALREADY_PUBLISHED)
    if rnd.items.filter(status=ItemStatus.PENDING).exists():
        raise SupervisionError(_("还有对象未检查，检查完毕后才能公开结果"), code=Code.OPEN_ITEMS)
    if not summary.strip():
        raise SupervisionError(_("请填写公开说明"), code=Code.TEXT_REQUIRED, field="summary")
    rnd.status, rnd.published_on, rnd.public_summary = RoundStatus.PUBLISHED, timezone.localdate(), summary.strip()
    rnd.save(update_fields=["status", "published_on", "public_summary"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=rnd, region_code=rnd.region_id,
                 changes={"status": [RoundStatus.DONE, RoundStatus.PUBLISHED]})
    return rnd


def publish_due(region: Region, *, done_on: dt.date) -> dt.date | None:
    days = values_as_of(profile=region.effective_profile(), prefix="procedure.inspection.", on=done_on).get(
        "procedure.inspection.publish_workdays")
    return None if days is None else add_working_days(done_on, days)
