"""Figures with a history or a time limit (issue 11): per region code, for the months before the refresh's day.

- ``flow.<new|exit|grace>.<program>.<YYYY-MM>``: entitlements that started, stopped (the month of ``end_month``) or
  entered 渐退 (``grace_start_month``) in each of the last ``MONTHS`` months;
- ``recip.<hh|persons|fen>.<program>``: current recipients per program (distinct households, persons covered, the
  monthly amount in fen) — what the public pages show per village;
- ``paid.<n|fen>.<program>.<YYYY-MM>``: bank-confirmed payroll lines of the last ``FUND_MONTHS`` months;
  ``spent.<program>.<YYYY>``: the year's spending as ``payments.selectors.spending`` counts it (资金执行);
- ``step.<state>.<n|on_time|workdays>``: case steps finished in the last ``MONTHS`` months, how many left the state
  by the deadline set on entering it (``cases.services.deadlines``, from the profile's ``procedure.*`` values) and
  the working days they took; ``step.total.*`` the same for decisions against the case's overall limit;
- ``tickets.<kind>.<n|resolved|on_time|overdue|called_back|satisfied>``: hotline tickets received in the last
  ``MONTHS`` months, resolved, resolved by their resolution limit, still open past it on the refresh's day, called
  back (any result) and found satisfied or basically satisfied at the call-back; ``received.<kind>.<YYYY-MM>`` the
  same tickets per month received;
- ``inspect.<done|clear>``: 双随机 items inspected in the last ``MONTHS`` months and those without a finding.

Nothing here restates a limit: a deadline is the one the workflow or the hotline stored with the record.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from doudi.benefits.choices import EntitlementStatus
from doudi.benefits.models import Entitlement
from doudi.cases.choices import State
from doudi.cases.models import Transition
from doudi.core.workdays import WorkdayCounter
from doudi.hotline.choices import OPEN_STATUSES as OPEN_TICKETS
from doudi.hotline.choices import Satisfaction
from doudi.hotline.models import Ticket
from doudi.payments.choices import LineStatus
from doudi.payments.models import PayrollLine
from doudi.payments.selectors import spending
from doudi.supervision.choices import Finding
from doudi.supervision.models import InspectionItem

Figures = dict[tuple[str, str], int]
MONTHS = 12
FUND_MONTHS = 6
LIVE = (EntitlementStatus.ACTIVE, EntitlementStatus.GRACE)
DECIDED = (State.DECIDED_APPROVED, State.DECIDED_REJECTED)
SATISFIED = (Satisfaction.SATISFIED, Satisfaction.BASIC)
# A step may have begun before the window; its entry is read this much earlier (the longest limits are weeks).
LOOKBACK = dt.timedelta(days=180)


def month_start(day: dt.date, back: int) -> dt.date:
    """The first day of the month ``back`` months before ``day``'s month."""
    m = day.year * 12 + day.month - 1 - back
    return dt.date(m // 12, m % 12 + 1, 1)


def _add(out: Figures, code: str, key: str, value: int) -> None:
    if value:
        out[(code, key)] = out.get((code, key), 0) + int(value)


def _range(field: str, lo: str, hi: str) -> Q:
    return Q(**{f"{field}__gte": lo, f"{field}__lte": hi})


def flows(lo: str, hi: str, day: dt.date) -> Figures:
    since, out = month_start(day, MONTHS - 1), {}
    base = Entitlement.objects.filter(_range("household__region_id", lo, hi))
    for kind, field, extra in (("new", "start_month", Q()), ("exit", "end_month", Q(status=EntitlementStatus.ENDED)),
                               ("grace", "grace_start_month", Q())):
        rows = (base.filter(extra, **{f"{field}__gte": since, f"{field}__lte": day})
                .annotate(m=TruncMonth(field)).values("household__region_id", "program", "m")
                .annotate(n=Count("id")).order_by())
        for r in rows:
            _add(out, r["household__region_id"], f"flow.{kind}.{r['program']}.{r['m']:%Y-%m}", r["n"])
    return out


def recipients(lo: str, hi: str, day: dt.date) -> Figures:
    out: Figures = {}
    rows = (Entitlement.objects.filter(_range("household__region_id", lo, hi), status__in=LIVE)
            .values("household__region_id", "program")
            .annotate(h=Count("household_id", distinct=True), p=Sum("covered_members"), m=Sum("monthly_fen"))
            .order_by())
    for r in rows:
        code, p = r["household__region_id"], r["program"]
        _add(out, code, f"recip.hh.{p}", r["h"])
        _add(out, code, f"recip.persons.{p}", r["p"] or 0)
        _add(out, code, f"recip.fen.{p}", r["m"] or 0)
    return out


def funds(lo: str, hi: str, day: dt.date) -> Figures:
    out: Figures = {}
    rows = (PayrollLine.objects.filter(_range("region_code", lo, hi), status=LineStatus.PAID,
                                       month__gte=month_start(day, FUND_MONTHS - 1), month__lte=day)
            .values("region_code", "month", "program").annotate(n=Count("id"), s=Sum("amount_fen")).order_by())
    for r in rows:
        suffix = f"{r['program']}.{r['month']:%Y-%m}"
        _add(out, r["region_code"], f"paid.n.{suffix}", r["n"])
        _add(out, r["region_code"], f"paid.fen.{suffix}", r["s"] or 0)
    # 资金执行: this year's spending per program as ``payments`` counts it (against the allocations).
    spent = (spending(PayrollLine.objects.filter(_range("region_code", lo, hi)), year=day.year)
             .values("region_code", "program").annotate(s=Sum("amount_fen")).order_by())
    for r in spent:
        _add(out, r["region_code"], f"spent.{r['program']}.{day.year}", r["s"] or 0)
    return out


def _step_day(row: dict) -> dt.date:
    return row["on"] or timezone.localdate(row["at"])


def steps(lo: str, hi: str, day: dt.date) -> Figures:
    """Each finished step: the transition that entered a state (with the deadline it set) and the next one."""
    since = month_start(day, MONTHS - 1)
    start = since - LOOKBACK
    counter = WorkdayCounter(start, day)
    out: Figures = {}
    rows = (Transition.objects.filter(_range("case__region_id", lo, hi))
            .filter(Q(on__gte=start) | Q(on__isnull=True, at__date__gte=start))
            .values("case_id", "case__region_id", "to_state", "step_due", "on", "at").order_by("case_id", "at", "id"))
    previous: dict | None = None
    for row in rows.iterator(chunk_size=5000):
        if previous is not None and previous["case_id"] == row["case_id"] and previous["step_due"] is not None:
            entered, left = _step_day(previous), _step_day(row)
            if since <= left <= day:
                key = f"step.{previous['to_state']}"
                code = row["case__region_id"]
                _add(out, code, f"{key}.n", 1)
                _add(out, code, f"{key}.on_time", left <= previous["step_due"])
                _add(out, code, f"{key}.workdays", counter.between(entered, left))
        previous = row
    decided = (Transition.objects.filter(_range("case__region_id", lo, hi), to_state__in=DECIDED,
                                         case__accepted_on__isnull=False, case__overall_due__isnull=False)
               .filter(Q(on__gte=since) | Q(on__isnull=True, at__date__gte=since))
               .values("case__region_id", "case__accepted_on", "case__overall_due", "on", "at"))
    for row in decided:
        left = _step_day(row)
        if left > day:
            continue
        code = row["case__region_id"]
        _add(out, code, "step.total.n", 1)
        _add(out, code, "step.total.on_time", left <= row["case__overall_due"])
        _add(out, code, "step.total.workdays", counter.between(row["case__accepted_on"], left))
    return out


def tickets(lo: str, hi: str, day: dt.date) -> Figures:
    out: Figures = {}
    since = month_start(day, MONTHS - 1)
    rows = (Ticket.objects.filter(_range("region_id", lo, hi), received_at__date__gte=since,
                                  received_at__date__lte=day)
            .values_list("region_id", "kind", "status", "received_at", "resolved_at", "resolution_due",
                         "satisfaction"))
    for code, kind, status, received_at, resolved_at, due, satisfaction in rows.iterator(chunk_size=5000):
        key = f"tickets.{kind}"
        _add(out, code, f"{key}.n", 1)
        _add(out, code, f"received.{kind}.{timezone.localdate(received_at):%Y-%m}", 1)
        if satisfaction:
            _add(out, code, f"{key}.called_back", 1)
            _add(out, code, f"{key}.satisfied", satisfaction in SATISFIED)
        if resolved_at is not None:
            _add(out, code, f"{key}.resolved", 1)
            _add(out, code, f"{key}.on_time", due is None or timezone.localdate(resolved_at) <= due)
        elif status in OPEN_TICKETS and due is not None and due < day:
            _add(out, code, f"{key}.overdue", 1)
    return out


def inspections(lo: str, hi: str, day: dt.date) -> Figures:
    out: Figures = {}
    rows = (InspectionItem.objects.filter(_range("household__region_id", lo, hi), inspected_on__isnull=False,
                                          inspected_on__gte=month_start(day, MONTHS - 1), inspected_on__lte=day)
            .exclude(finding="").values("household__region_id")
            .annotate(done=Count("id"), clear=Count("id", filter=Q(finding=Finding.NONE))).order_by())
    for r in rows:
        _add(out, r["household__region_id"], "inspect.done", r["done"])
        _add(out, r["household__region_id"], "inspect.clear", r["clear"])
    return out


SOURCES = (flows, recipients, funds, steps, tickets, inspections)
