"""The supervisor's view (issue 11 item 3; seed 002 三(三), 000 四(四)): in one page, for the user's jurisdiction,
the open warnings by rule (人情保、关系保、死亡保 and the other integrity rules are monitoring rules in the profile;
nothing is re-listed here), applications registered as relatives of cadres (近亲属备案), overdue cases and tickets
per township, fund use (allocations per use and level against approved payroll spending, ``payments``), and for the
latest warnings who knew what and when (容错纠错: each step with its person and time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Substr
from django.utils import timezone

from doudi.accounts.choices import Action
from doudi.cases.models import Application, Case
from doudi.cases.selectors import case_list
from doudi.hotline.models import Ticket
from doudi.monitoring.choices import OPEN_STATUSES
from doudi.monitoring.models import Alert, AlertTransition
from doudi.payments.selectors import fund_overview
from doudi.regions.models import Region


@dataclass(frozen=True)
class Trail:
    alert: Alert
    steps: list[AlertTransition]


def _per_township(qs, path: str) -> dict[str, int]:
    rows = qs.annotate(t=Substr(path, 1, 9)).values("t").annotate(n=Count("id")).order_by()
    return {r["t"]: r["n"] for r in rows}


def oversight(user) -> dict:
    today = timezone.localdate()
    alerts = Alert.objects.restrict(user, Action.VIEW_FULL).filter(status__in=OPEN_STATUSES)
    by_rule = list(alerts.values("rule_code", "rule_title").annotate(n=Count("id")).order_by("-n")[:30])
    latest = list(alerts.select_related("household", "region").order_by("-id")[:10])
    steps = AlertTransition.objects.filter(alert__in=latest).select_related("actor").order_by("at", "id")
    trails = [Trail(a, [s for s in steps if s.alert_id == a.pk]) for a in latest]
    latest_case = Case.objects.filter(application=OuterRef("pk")).order_by("-created_at", "-id").values("pk")[:1]
    relatives = (Application.objects.restrict(user, Action.VIEW_FULL).filter(relatives_flag=True)
                 .select_related("household", "region").annotate(case_id=Subquery(latest_case)).order_by("-id"))
    overdue_cases = _per_township(case_list(actor=user, overdue=True).order_by(), "region_id")
    overdue_tickets = _per_township(Ticket.objects.restrict(user, Action.VIEW).overdue(today), "region_id")
    codes = sorted(set(overdue_cases) | set(overdue_tickets))
    names = dict(Region.objects.filter(code__in=[c.ljust(12, "0") for c in codes]).values_list("code", "name"))
    late = [{"name": names.get(c.ljust(12, "0"), c), "cases": overdue_cases.get(c, 0),
             "tickets": overdue_tickets.get(c, 0)} for c in codes]
    return {"by_rule": by_rule, "trails": trails, "relatives": relatives[:50], "relatives_count": relatives.count(),
            "late": late, "year": today.year,
            "funds": [{**f, "balance_fen": f["allocated_fen"] - f["spent_fen"]}
                      for f in fund_overview(actor=user, year=today.year)],
            "since": today - dt.timedelta(days=365)}
