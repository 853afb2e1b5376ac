"""What a refresh counts, per region code, for the regions whose codes lie in [lo, hi].

Each source is one grouped query over an indexed range of region codes; it returns {(region code, key): value}.
The figures are counts of what the lower apps already decided (an entitlement's status, a case's state, a
warning's status); nothing here restates a rule. Keys are listed in ``KEYS`` with their labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from doudi.benefits.choices import EntitlementStatus, Program
from doudi.benefits.models import Entitlement
from doudi.cases.choices import FINAL_STATES, State
from doudi.cases.models import Case
from doudi.monitoring.choices import OPEN_STATUSES
from doudi.monitoring.models import Alert, Screening
from doudi.payments.models import PayrollLine
from doudi.registry.models import Household, Membership
from doudi.statistics import flows

Figures = dict[tuple[str, str], int]
LIVE_ENTITLEMENTS = (EntitlementStatus.ACTIVE, EntitlementStatus.GRACE)

KEYS: dict[str, object] = {
    "households": _("辖区内家庭（户）"),
    "persons": _("在册人员（人）"),
    "entitlements": _("在保家庭（户）"),
    **{f"entitlements.{p}": p.label for p in Program},
    "payroll.lines": _("本月发放（笔）"),
    "payroll.fen": _("本月发放金额（分）"),
    "cases.open": _("在办案件（件）"),
    **{f"cases.{s}": s.label for s in State if s not in FINAL_STATES},
    "warnings.open": _("未办结预警（条）"),
    "unenrolled": _("符合条件尚未纳入（户）"),
}


def _rows(qs, region: str, key: Callable[[dict], str], value: str = "n") -> Figures:
    out: Figures = {}
    for row in qs:
        k = (row[region], key(row))
        out[k] = out.get(k, 0) + int(row[value] or 0)
    return out


def _between(field: str, lo: str, hi: str) -> Q:
    return Q(**{f"{field}__gte": lo, f"{field}__lte": hi})


def registry(lo: str, hi: str, day: dt.date) -> Figures:
    out = _rows(
        Household.objects.filter(_between("region_id", lo, hi)).values("region_id").annotate(n=Count("id")),
        "region_id", lambda r: "households",
    )
    members = (Membership.objects.as_of(day).filter(_between("household__region_id", lo, hi))
               .values("household__region_id").annotate(n=Count("id")))
    out.update(_rows(members, "household__region_id", lambda r: "persons"))
    return out


def benefits(lo: str, hi: str, day: dt.date) -> Figures:
    rows = (Entitlement.objects.filter(_between("household__region_id", lo, hi), status__in=LIVE_ENTITLEMENTS)
            .values("household__region_id", "program").annotate(n=Count("id")))
    out = _rows(rows, "household__region_id", lambda r: f"entitlements.{r['program']}")
    households = (Entitlement.objects.filter(_between("household__region_id", lo, hi), status__in=LIVE_ENTITLEMENTS)
                  .values("household__region_id").annotate(n=Count("household", distinct=True)))
    out.update(_rows(households, "household__region_id", lambda r: "entitlements"))
    return out


def payroll(lo: str, hi: str, day: dt.date) -> Figures:
    rows = (PayrollLine.objects.filter(_between("region_code", lo, hi), month=day.replace(day=1))
            .values("region_code").annotate(n=Count("id"), fen=Sum("amount_fen")))
    rows = list(rows)
    out = _rows(rows, "region_code", lambda r: "payroll.lines")
    out.update(_rows(rows, "region_code", lambda r: "payroll.fen", value="fen"))
    return out


def cases(lo: str, hi: str, day: dt.date) -> Figures:
    rows = list(Case.objects.filter(_between("region_id", lo, hi)).exclude(state__in=FINAL_STATES)
                .values("region_id", "state").annotate(n=Count("id")))
    out = _rows(rows, "region_id", lambda r: f"cases.{r['state']}")
    out.update(_rows(rows, "region_id", lambda r: "cases.open"))
    return out


def monitoring(lo: str, hi: str, day: dt.date) -> Figures:
    alerts = (Alert.objects.filter(_between("region_id", lo, hi), status__in=OPEN_STATUSES)
              .values("region_id").annotate(n=Count("id")))
    out = _rows(alerts, "region_id", lambda r: "warnings.open")
    # 符合条件尚未纳入: the engine's verdict at the last screening (monitoring.selectors.unenrolled).
    unenrolled = (Screening.objects.filter(_between("region_id", lo, hi), covered=False)
                  .filter(Q(dibao_eligible=True) | Q(tekun_eligible=True))
                  .values("region_id").annotate(n=Count("id")))
    out.update(_rows(unenrolled, "region_id", lambda r: "unenrolled"))
    return out


SOURCES = (registry, benefits, payroll, cases, monitoring, *flows.SOURCES)


def collect(lo: str, hi: str, day: dt.date) -> Figures:
    out: Figures = {}
    for source in SOURCES:
        out.update(source(lo, hi, day))
    return out
