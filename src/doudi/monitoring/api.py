"""Monitoring API: the department data exchange push (部门数据推送接口) and the warnings of the user's area."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from doudi.core.pagination import Rows, paged, stable
from doudi.monitoring import selectors
from doudi.monitoring.errors import Code
from doudi.monitoring.feeds.loader import FeedFileError, feed_load
from doudi.monitoring.selectors import AlertFilters
from doudi.regions.models import Region

router = Router(tags=["动态监测"])


class PushIn(Schema):
    region_code: str
    period: dt.date
    batch_name: str = "exchange"
    rows: list[dict[str, Any]]


class PushOut(Schema):
    batch_id: int
    rows: int
    new: int
    already_loaded: bool
    matched: int


class AlertOut(Schema):
    id: int
    rule_code: str
    rule_title: str
    severity: str
    household_id: int
    region_code: str
    period: dt.date
    status: str
    deadline: dt.date | None
    outcome: str


@router.post("/feeds/{feed}/push", response=PushOut)
def feed_push(request, feed: str, payload: PushIn):
    """One delivery of a feed as JSON rows (keys as in the feed's schema, docs/monitoring.md). All or nothing: a bad
    row returns 422 with ``errors`` (row number and reason) and nothing is stored; the same rows again change
    nothing."""
    region = Region.objects.filter(code=payload.region_code).first()
    if region is None:
        raise FeedFileError(_("未知的辖区代码"), code=Code.BAD_REGION)
    result = feed_load(actor=request.auth, feed=feed, region=region, period=payload.period,
                       filename=payload.batch_name[:200], rows=payload.rows)
    return {"batch_id": result.batch.pk, "rows": result.rows, "new": result.batch.new_count,
            "already_loaded": result.already_loaded, "matched": result.batch.matched_count}


@router.get("/alerts", response=list[AlertOut])
@paged
def alert_list(request, status: str = "", severity: str = "", rule: str = ""):
    filters = AlertFilters(status=status, severity=severity, rule=rule)
    qs = selectors.alert_list(actor=request.auth, filters=filters, today=timezone.localdate())
    return Rows(stable(qs), lambda a: {
        "id": a.pk, "rule_code": a.rule_code, "rule_title": a.rule_title, "severity": a.severity,
        "household_id": a.household_id, "region_code": a.region_id, "period": a.period, "status": a.status,
        "deadline": a.deadline, "outcome": a.outcome})
