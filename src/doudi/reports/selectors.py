"""Reads for the director's desk: today's work for the signed-in person, and the dashboard figures (from the
maintained aggregates of ``doudi.statistics``, plus the hotline's own small tables), all scoped to the user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Substr, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes
from doudi.benefits.choices import Program
from doudi.cases.choices import FINAL_STATES, State
from doudi.cases.selectors import case_list
from doudi.core.errors import NotFoundOrForbidden
from doudi.hotline.choices import OPEN_STATUSES, TicketKind
from doudi.hotline.models import Ticket
from doudi.regions.models import Region
from doudi.reports.compute import child_len
from doudi.reports.dashboards import dashboards, tickets_by_month
from doudi.reports.models import StatReport
from doudi.statistics.models import Figure, Refresh
from doudi.statistics.selectors import figures_for, latest_refresh
from doudi.supervision.choices import ItemStatus
from doudi.supervision.models import CorrectiveAction, InspectionItem

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from doudi.accounts.models import User


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str
    urgent: bool = False


def todo_for(user: User) -> list[Todo]:
    """What this person must do today, in their own jurisdiction (items with nothing to do are left out). The ticket
    counts are one query; each other source one more."""
    today = timezone.localdate()
    own_codes = [p.ljust(12, "0") for p in region_prefixes(user, Action.VIEW)]  # the grants' own regions
    overdue = Ticket.objects.overdue(today).values("pk")
    t = Ticket.objects.restrict(user, Action.CHANGE).aggregate(
        received=Count("pk", filter=Q(status="received")),
        mine=Count("pk", filter=Q(handler=user.pk, status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=Q(pk__in=overdue)),
        escalated=Count("pk", filter=Q(escalated_to_id__in=own_codes, status__in=OPEN_STATUSES)),
    ) if user.is_authenticated else {"received": 0, "mine": 0, "overdue": 0, "escalated": 0}
    tickets = reverse("hotline:list")
    items = [
        Todo(_("待受理的热线工单"), t["received"], tickets + "?status=received"),
        Todo(_("我承办的未办结工单"), t["mine"], tickets),
        Todo(_("超期工单"), t["overdue"], tickets + "?overdue=1", urgent=True),
        Todo(_("上级督办工单（本级须跟进）"), t["escalated"], tickets + "?escalated=1", urgent=True),
        Todo(_("逾期救助案件"), case_list(actor=user, overdue=True, action=Action.CHANGE).count(),
             reverse("cases:case_list") + "?overdue=1", urgent=True),
        Todo(_("我被抽中的双随机检查"), InspectionItem.objects.filter(inspectors=user.pk, status=ItemStatus.PENDING)
             .count(), reverse("supervision:round_list")),
        Todo(_("超期未完成的整改"), CorrectiveAction.objects.restrict(user, Action.CHANGE)
             .filter(done_on__isnull=True, due_on__lt=today).count(), reverse("supervision:round_list"), urgent=True),
    ]
    if region_prefixes(user, Action.VIEW_FULL):
        warnings = figures_for(user, keys=["warnings.open"], action=Action.VIEW_FULL)["warnings.open"]
        items.append(Todo(_("未办结的监测预警"), warnings, reverse("monitoring:dashboard")))
    return [t for t in items if t.count]


def top_region(user: User) -> Region | None:
    """The widest area the user sees (the first of their shortest prefixes)."""
    prefixes = region_prefixes(user, Action.VIEW)
    if not prefixes:
        return None
    prefix = min(prefixes, key=len)
    return Region.objects.filter(code=prefix.ljust(12, "0")).first()


def is_director(user: User) -> bool:
    """County and city civil-affairs staff and auditors get the dashboards (issue 11: county and city directors)."""
    region = top_region(user)
    return region is not None and region.level in ("province", "city", "county") and bool(
        region_prefixes(user, Action.EXPORT))


def by_area(user: User, *, region: Region, refresh: Refresh) -> list[dict]:
    """Households on benefits and this month's payroll per child area (one grouped query over one refresh)."""
    n = child_len(region)
    rows = (Figure.objects.restrict(user, Action.VIEW).filter(refresh=refresh, region_code__startswith=region.prefix,
                                                                key__in=("entitlements", "payroll.fen", "households"))
            .annotate(area=Substr("region_code", 1, n)).values("area", "key").annotate(v=Sum("value"))
            .order_by("area"))
    areas: dict[str, dict] = {}
    for r in rows:
        areas.setdefault(r["area"], {"code": r["area"].ljust(12, "0")})[r["key"]] = int(r["v"])
    names = dict(Region.objects.filter(code__in=[a["code"] for a in areas.values()]).values_list("code", "name"))
    return [{"name": names.get(a["code"], a["code"]), "households": a.get("households", 0),
             "entitlements": a.get("entitlements", 0), "payroll_fen": a.get("payroll.fen", 0)}
            for a in areas.values()]


def monthly(user: User, *, months: int = 12) -> list[dict]:
    """Recipients and payroll per month: the last refresh of each month (the aggregates keep one per day)."""
    since = timezone.localdate().replace(day=1) - dt.timedelta(days=31 * (months - 1))
    last = (Refresh.objects.filter(finished_at__isnull=False, day__gte=since.replace(day=1))
            .annotate(m=TruncMonth("day")).values("m").annotate(last=Max("day")))
    days = [r["last"] for r in last]
    rows = (Figure.objects.restrict(user, Action.VIEW).filter(refresh__day__in=days, refresh__finished_at__isnull=False,
                                                                key__in=("entitlements", "payroll.fen"))
            .values("refresh__day", "key").annotate(v=Sum("value")).order_by("refresh__day"))
    out: dict[dt.date, dict] = {}
    for r in rows:
        out.setdefault(r["refresh__day"], {"month": r["refresh__day"].strftime("%Y-%m")})[r["key"]] = int(r["v"])
    return [{"month": v["month"], "entitlements": v.get("entitlements", 0), "payroll_fen": v.get("payroll.fen", 0)}
            for _d, v in sorted(out.items())]


def _pct(bp: int | None) -> str:
    return "—" if bp is None else f"{bp // 100}%"


def targets(user: User, *, region: Region | None) -> list[dict]:
    """The seed targets against their actual values, as ``doudi.care`` measures them (nursing beds and centralised
    support of disabled 特困 [004] 三; visit rates per group [001] 二、10, summed over the townships), each target
    from the profile (``care.target.*``, ``care.visit_rate_target.*``); rows without a target are left out."""
    if region is None:
        return []
    from doudi.care.selectors import ratios, visit_rates

    today = timezone.localdate()
    out = [{"label": str(r.label), "target": _pct(r.target_bp), "actual": _pct(r.rate_bp), "met": r.met,
            "basis": f"{r.numerator}/{r.denominator}"} for r in ratios(actor=user, region=region, on=today)
           if r.target_bp is not None]
    groups: dict[str, list] = {}
    for r in visit_rates(actor=user, on=today):
        g = groups.setdefault(r.group, [str(r.group_label), 0, 0, r.target_bp])
        g[1] += r.visited
        g[2] += r.targets
    for label, visited, total, target_bp in groups.values():
        if target_bp is None:
            continue
        rate = visited * 10_000 // total if total else None
        out.append({"label": _("探访率：%(g)s") % {"g": label}, "target": _pct(target_bp), "actual": _pct(rate),
                    "met": None if rate is None else rate >= target_bp, "basis": f"{visited}/{total}"})
    return out


def _timeliness(complaints: list[dict]) -> dict:
    """The hotline totals of the last twelve months (the per-kind rows of the dashboard, from the aggregates)."""
    total = {what: sum(c[what] for c in complaints) for what in ("n", "resolved", "on_time", "satisfied",
                                                                  "called_back")}
    return {"received": total.pop("n"), **total}


def desk_data(user: User) -> dict:
    """Everything the dashboards draw, as plain JSON-ready values (amounts in fen; the page shows yuan)."""
    refresh = latest_refresh()
    figures = figures_for(user)
    region = top_region(user)
    programs = [{"name": str(p.label), "value": figures[f"entitlements.{p}"]} for p in Program
                if figures[f"entitlements.{p}"]]
    cases = [{"name": str(s.label), "value": figures[f"cases.{s}"]} for s in State
             if s not in FINAL_STATES and figures[f"cases.{s}"]]
    dash = dashboards(user, region, refresh)
    return {
        "as_of": timezone.localtime(refresh.finished_at).strftime("%Y-%m-%d %H:%M") if refresh else "",
        "totals": {"households": figures["households"], "persons": figures["persons"],
                   "entitlements": figures["entitlements"], "payroll_fen": figures["payroll.fen"],
                   "cases_open": figures["cases.open"]},
        "programs": programs, "cases": cases,
        "areas": by_area(user, region=region, refresh=refresh) if refresh and region else [],
        "monthly": monthly(user), "tickets": tickets_by_month(user, refresh),
        "timeliness": _timeliness(dash["complaints"]),
        "kinds": {k: str(label) for k, label in TicketKind.choices},
        "targets": targets(user, region=region),
        **dash,
    }


def report_list(*, actor: User) -> QuerySet[StatReport]:
    return StatReport.objects.restrict(actor, Action.EXPORT).select_related("region")


def report_get(*, actor: User, pk: int, action: str = Action.EXPORT) -> StatReport:
    found = StatReport.objects.restrict(actor, action).select_related("region").filter(pk=pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该报表，或不在您的辖区内"))
    return found


def reporting_regions(user: User) -> QuerySet[Region]:
    from doudi.accounts.scoping import region_q

    q = region_q("code", region_prefixes(user, Action.CHANGE))  # compiling a report is civil-affairs work
    if q is None:
        return Region.objects.none()
    return Region.objects.filter(q, level__in=("province", "city", "county")).order_by("code")


