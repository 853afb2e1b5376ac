"""Reads for monitoring: every queryset starts from ``restrict(actor, action)`` (fails closed)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Case, Count, Prefetch, Q, QuerySet, When
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action, Department
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import NotFoundOrForbidden
from doudi.monitoring.choices import OPEN_STATUSES, Severity, WarningStatus
from doudi.monitoring.models import (
    Alert,
    FeedBatch,
    FeedRow,
    HouseholdPlan,
    Identification,
    LowIncomeMember,
    MonitoringRun,
    Screening,
    Visit,
)
from doudi.regions.models import Region
from doudi.registry.models import Household
from doudi.registry.selectors import household_view_full

if TYPE_CHECKING:
    from doudi.accounts.models import User

S = WarningStatus


@dataclass(frozen=True)
class AlertFilters:
    status: str = ""
    severity: str = ""
    rule: str = ""
    region: str = ""  # a code prefix inside the actor's jurisdiction
    source: str = ""
    overdue: bool = False

    @classmethod
    def from_query(cls, get) -> AlertFilters:
        region = get.get("region", "")
        return cls(status=get.get("status", ""), severity=get.get("severity", ""), rule=get.get("rule", ""),
                   region=region if region.isdigit() else "", source=get.get("source", ""),
                   overdue=get.get("overdue") == "1")


def alert_list(*, actor: User, filters: AlertFilters, today: dt.date, action: str = Action.VIEW_FULL) -> QuerySet:
    qs = Alert.objects.restrict(actor, action).select_related("household", "region", "person")
    if filters.status in S.values:
        qs = qs.filter(status=filters.status)
    if filters.severity in Severity.values:
        qs = qs.filter(severity=filters.severity)
    if filters.rule:
        qs = qs.filter(rule_code=filters.rule)
    if filters.region:
        qs = qs.filter(region__code__startswith=filters.region)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.overdue:
        qs = overdue(qs, today=today)
    # Open work first: awaiting the township's confirmation, then to push, then with the village; closed last.
    rank = Case(When(status=S.VISITED, then=0), When(status=S.NEW, then=1), When(status=S.PUSHED, then=2), default=3)
    return qs.order_by(rank, "deadline", "-created_at", "-id")


def overdue(qs: QuerySet, *, today: dt.date) -> QuerySet:
    return qs.filter(status__in=[S.PUSHED, S.VISITED], deadline__lt=today)


def alert_get(*, actor: User, pk: int, action: str = Action.VIEW_FULL) -> Alert:
    alert = (Alert.objects.restrict(actor, action)
             .select_related("household", "region", "person", "feed_row__batch", "closed_by")
             .filter(pk=pk).first())
    if alert is None:
        raise NotFoundOrForbidden(_("未找到该预警，或不在您的辖区内"))
    return alert


def alert_open(*, actor: User, pk: int) -> Alert:
    """The warning page: a full record (the person, the findings of each visit), so every opening is audited."""
    alert = alert_get(actor=actor, pk=pk)
    audit_record(actor=actor, action=AuditAction.VIEW, obj=alert, region_code=alert.region_id)
    return alert


def village_queue(*, actor: User) -> QuerySet:
    """Warnings pushed to the villages where the actor may act, the nearest deadline first."""
    return (Alert.objects.restrict(actor, Action.CHANGE).filter(status=S.PUSHED)
            .select_related("household", "region", "person").order_by("deadline", "id"))


def rules_seen(*, actor: User) -> list[tuple[str, str]]:
    rows = Alert.objects.restrict(actor, Action.VIEW_FULL).values_list("rule_code", "rule_title").distinct()
    return sorted(set(rows), key=lambda r: r[1])


def _township_names(codes) -> dict[str, str]:
    return dict(Region.objects.filter(code__in=[c + "000" for c in codes]).values_list("code", "name"))


def rollup(*, actor: User, today: dt.date) -> list[dict]:
    """Per township: warnings by status, overdue, and closed on time or late (the county's SLA view)."""
    rows = (Alert.objects.restrict(actor, Action.VIEW_FULL).annotate(town=Substr("region_id", 1, 9))
            .values("town").annotate(
                total=Count("id"), new=Count("id", filter=Q(status=S.NEW)),
                pushed=Count("id", filter=Q(status=S.PUSHED)), visited=Count("id", filter=Q(status=S.VISITED)),
                closed=Count("id", filter=Q(status=S.CLOSED)),
                overdue=Count("id", filter=Q(status__in=[S.PUSHED, S.VISITED], deadline__lt=today)))
            .order_by("town"))
    late = defaultdict(int)
    for town, deadline, closed_at in (Alert.objects.restrict(actor, Action.VIEW_FULL)
                                      .filter(status=S.CLOSED, deadline__isnull=False)
                                      .annotate(town=Substr("region_id", 1, 9))
                                      .values_list("town", "deadline", "closed_at")):
        late[town] += int(closed_at.date() > deadline)
    names = _township_names([r["town"] for r in rows])
    out = []
    for r in rows:
        closed = r["closed"]
        out.append({**r, "name": names.get(r["town"] + "000", r["town"]), "late": late[r["town"]],
                    "on_time": closed - late[r["town"]],
                    "on_time_rate": round(100 * (closed - late[r["town"]]) / closed) if closed else None})
    return out


def dashboard(*, actor: User, today: dt.date) -> dict:
    """What the monitoring screen charts: by month and severity, by rule, by township, the response funnel."""
    base = Alert.objects.restrict(actor, Action.VIEW_FULL)
    by_month: dict[str, dict[str, int]] = defaultdict(lambda: {s: 0 for s in Severity.values})
    for period, severity, n in base.values_list("period", "severity").annotate(n=Count("id")).order_by("period"):
        by_month[period.strftime("%Y-%m")][severity] += n
    months = sorted(by_month)
    by_rule = list(base.values("rule_title").annotate(n=Count("id")).order_by("-n")[:25])
    towns = rollup(actor=actor, today=today)
    outcomes = dict(base.filter(status=S.CLOSED).values_list("outcome").annotate(n=Count("id")))
    statuses = dict(base.values_list("status").annotate(n=Count("id")))
    total = sum(statuses.values())
    pushed = total - statuses.get(S.NEW, 0)
    visited = statuses.get(S.VISITED, 0) + statuses.get(S.CLOSED, 0)
    return {
        "months": months,
        "severity": [{"code": s, "label": str(Severity(s).label), "data": [by_month[m][s] for m in months]}
                     for s in Severity.values],
        "rules": [{"name": r["rule_title"], "value": r["n"]} for r in reversed(by_rule)],
        "towns": [{"name": t["name"], "total": t["total"], "overdue": t["overdue"]} for t in towns],
        "funnel": [{"name": _("预警"), "value": total}, {"name": _("已下发"), "value": pushed},
                   {"name": _("已核实"), "value": visited}, {"name": _("已处置"), "value": statuses.get(S.CLOSED, 0)}],
        "labels": {"alerts": _("预警"), "overdue": _("逾期")},
        "outcomes": outcomes,
        "total": total,
        "open": sum(statuses.get(s, 0) for s in OPEN_STATUSES),
        "overdue": overdue(base, today=today).count(),
    }


def household_timeline(*, actor: User, household_id: int) -> tuple[Household, list[dict]]:
    """A household's warnings, visits, responses and plan follow-ups, oldest first. A full record: audited by
    ``household_view_full`` like the registry's household page."""
    household = household_view_full(actor=actor, pk=household_id)
    events = []
    alerts = list(Alert.objects.restrict(actor, Action.VIEW_FULL).filter(household=household)
                  .select_related("closed_by")
                  .prefetch_related(Prefetch("visits", queryset=Visit.objects.select_related("visitor"))))
    for a in alerts:
        events.append({"at": a.created_at, "kind": "alert", "alert": a})
        for v in a.visits.all():
            events.append({"at": v.created_at, "kind": "visit", "alert": a, "visit": v})
        if a.closed_at:
            events.append({"at": a.closed_at, "kind": "closed", "alert": a})
    for plan in HouseholdPlan.objects.restrict(actor, Action.VIEW_FULL).filter(household=household).prefetch_related(
            "follow_ups"):
        events.append({"at": plan.created_at, "kind": "plan", "plan": plan})
        for fu in plan.follow_ups.all():
            events.append({"at": fu.created_at, "kind": "follow_up", "plan": plan, "follow_up": fu})
    events.sort(key=lambda e: e["at"])
    return household, events


def lowincome_list(*, actor: User, category: str = "", region: str = "", today: dt.date,
                   action: str = Action.VIEW_FULL) -> QuerySet:
    qs = (LowIncomeMember.objects.restrict(actor, action).as_of(today)
          .select_related("person", "household", "region").order_by("region", "household", "person", "category"))
    if category:
        qs = qs.filter(category=category)
    if region.isdigit():
        qs = qs.filter(region__code__startswith=region)
    return qs


def lowincome_counts(*, actor: User, today: dt.date) -> dict[str, int]:
    rows = (LowIncomeMember.objects.restrict(actor, Action.VIEW_FULL).as_of(today).values("category")
            .annotate(n=Count("person", distinct=True)))
    return {r["category"]: r["n"] for r in rows}


def unenrolled(*, actor: User, action: str = Action.VIEW_FULL) -> QuerySet:
    """Households the engine found eligible for 低保 or 特困 at the last screening that are not covered (供主动发现)."""
    return (Screening.objects.restrict(actor, action).filter(covered=False)
            .filter(Q(dibao_eligible=True) | Q(tekun_eligible=True))
            .select_related("household", "region").order_by("region", "household"))


def identification_list(*, actor: User, state: str = "", action: str = Action.VIEW_FULL) -> QuerySet:
    qs = Identification.objects.restrict(actor, action).select_related("household", "region", "proposed_by")
    return qs.filter(state=state) if state else qs


def identification_get(*, actor: User, pk: int) -> Identification:
    ident = (Identification.objects.restrict(actor, Action.VIEW_FULL)
             .select_related("household", "region", "evaluation", "proposed_by", "decided_by").filter(pk=pk).first())
    if ident is None:
        raise NotFoundOrForbidden(_("未找到该认定，或不在您的辖区内"))
    return ident


def plan_list(*, actor: User, status: str = "", action: str = Action.VIEW_FULL) -> QuerySet:
    qs = HouseholdPlan.objects.restrict(actor, action).select_related("household", "region")
    return qs.filter(status=status) if status else qs


def plan_get(*, actor: User, pk: int) -> HouseholdPlan:
    plan = HouseholdPlan.objects.restrict(actor, Action.VIEW_FULL).select_related("household", "region").filter(
        pk=pk).first()
    if plan is None:
        raise NotFoundOrForbidden(_("未找到该帮扶计划，或不在您的辖区内"))
    return plan


def batch_list(*, actor: User, action: str = Action.VIEW) -> QuerySet:
    """Batches of the actor's area; another department's data only for civil affairs (who receive every feed)."""
    qs = FeedBatch.objects.restrict(actor, action).select_related("region", "uploaded_by")
    if getattr(actor, "department", "") != Department.CIVIL_AFFAIRS:
        qs = qs.filter(department=actor.department)
    return qs


def batch_get(*, actor: User, pk: int) -> FeedBatch:
    batch = batch_list(actor=actor).filter(pk=pk).first()
    if batch is None:
        raise NotFoundOrForbidden(_("未找到该批次，或不在您的辖区内"))
    return batch


def batch_rows(*, actor: User, batch: FeedBatch) -> QuerySet:
    return FeedRow.objects.restrict(actor, Action.VIEW).filter(batch=batch).select_related("village").order_by(
        "row_number")


def run_list(*, actor: User) -> QuerySet:
    return MonitoringRun.objects.restrict(actor, Action.VIEW_FULL).select_related("region", "started_by")
