"""The directors' dashboards beyond the totals (issue 11 §5): new recipients, exits and 渐退 per month by program and
area; the time each step of a case took against its limit; hotline timeliness per kind; fund execution. Every
figure is read from the maintained aggregates (``doudi.statistics``) of the user's jurisdiction, so a page costs
the same for a township and a city; the limits shown beside them are the region's profile values (``procedure.*``),
read here, never written down."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from doudi.benefits.choices import Program
from doudi.cases.choices import State
from doudi.cases.services.deadlines import STEP_LIMIT_KEYS
from doudi.hotline.choices import TicketKind
from doudi.payments.choices import FundUse, fund_of
from doudi.payments.selectors import allocations
from doudi.policy.loader import Profile
from doudi.policy.services import profile_load_effective
from doudi.policy.values import key_spec
from doudi.regions.models import Region
from doudi.reports.compute import child_len
from doudi.statistics.flows import MONTHS, month_start
from doudi.statistics.models import Refresh
from doudi.statistics.selectors import by_area, sums

FLOW_KINDS = {"new": gettext_lazy("新增"), "exit": gettext_lazy("退出"), "grace": gettext_lazy("进入渐退")}


def rate_bp(part: int, whole: int) -> int | None:
    return part * 10_000 // whole if whole else None


def percent(bp: int | None) -> str:
    return "—" if bp is None else f"{bp // 100}.{bp % 100 // 10}%"


def region_profile(region: Region | None) -> Profile | None:
    """``region``'s profile with its database overrides: read once per page (one query) and handed to ``limits``."""
    return profile_load_effective(name_or_path=region.effective_profile()) if region is not None else None


def limits(profile: Profile | None, region: Region | None, keys, on: dt.date) -> list[dict]:
    """The profile values in force for ``keys`` in ``region``'s ``profile``, with their descriptions (unset keys
    left out): what the dashboards print next to a measured time."""
    if region is None or profile is None:
        return []
    out = []
    for key in keys:
        entry = profile.resolve(key, on, region.area_type or None)
        if entry is not None and entry.value is not None:
            spec = key_spec(key)
            out.append({"key": key, "value": entry.value, "label": spec[1] if spec else key,
                        "illustrative": bool(entry.illustrative)})
    return out


def _limit_text(items: list[dict]) -> str:
    return "；".join(f"{i['label']}：{i['value']}" + (_("（示意值）") if i["illustrative"] else "") for i in items)


def flows(user, region: Region | None, refresh: Refresh | None) -> dict:
    """Per month (the last ``MONTHS``) the entitlements that started, stopped and entered 渐退, totals and per
    program; and the twelve months' totals per child area."""
    today = refresh.day if refresh else timezone.localdate()
    months = [f"{month_start(today, back):%Y-%m}" for back in range(MONTHS - 1, -1, -1)]
    figures = sums(user, prefix="flow.", refresh=refresh) if refresh else {}
    series = {k: [0] * len(months) for k in FLOW_KINDS}
    programs: dict[str, dict[str, int]] = {}
    for key, value in figures.items():
        _f, kind, program, month = key.split(".")
        if month in months and kind in series:
            series[kind][months.index(month)] += value
            programs.setdefault(program, dict.fromkeys(FLOW_KINDS, 0))[kind] += value
    areas = []
    if refresh and region:
        per_area = by_area(user, prefix="flow.", region=region.prefix, length=child_len(region), refresh=refresh)
        names = dict(Region.objects.filter(code__in=[a.ljust(12, "0") for a in per_area]).values_list("code", "name"))
        for area in sorted(per_area):
            row = dict.fromkeys(FLOW_KINDS, 0)
            for key, value in per_area[area].items():
                row[key.split(".")[1]] += value
            areas.append({"name": names.get(area.ljust(12, "0"), area), **row})
    labels = {p.value: str(p.label) for p in Program}
    return {"months": months, "series": series, "labels": {k: str(v) for k, v in FLOW_KINDS.items()},
            "programs": [{"name": labels.get(p, p), **v} for p, v in sorted(programs.items())], "areas": areas}


def steps(user, region: Region | None, refresh: Refresh | None, profile: Profile | None = None) -> list[dict]:
    """Each step of the case workflow finished in the last twelve months: how many, how many by the deadline set
    when it began (the profile's values of the time), the average working days, and the limits in force today."""
    figures = sums(user, prefix="step.", refresh=refresh) if refresh else {}
    today = timezone.localdate()
    out = []
    for state in [*State.values, "total"]:
        n = figures.get(f"step.{state}.n", 0)
        if not n:
            continue
        on_time = figures.get(f"step.{state}.on_time", 0)
        workdays = figures.get(f"step.{state}.workdays", 0)
        label = _("受理至作出决定（总时限）") if state == "total" else str(State(state).label)
        out.append({"state": state, "label": label, "n": n, "on_time": on_time, "late": n - on_time,
                    "rate": percent(rate_bp(on_time, n)),
                    "avg_tenths": workdays * 10 // n,
                    "avg": f"{workdays * 10 // n // 10}.{workdays * 10 // n % 10}",
                    "limits": _limit_text(limits(profile, region, STEP_LIMIT_KEYS.get(state, ()), today))})
    return out


def complaints(user, region: Region | None, refresh: Refresh | None, profile: Profile | None = None) -> list[dict]:
    """Hotline tickets of the last twelve months per kind: received, resolved, resolved within the resolution
    limit, open past it, called back and satisfied; beside them the profile's resolution limit for the kind."""
    figures = sums(user, prefix="tickets.", refresh=refresh) if refresh else {}
    today = timezone.localdate()
    out = []
    for kind, label in TicketKind.choices:
        get = lambda what, k=kind: figures.get(f"tickets.{k}.{what}", 0)  # noqa: E731
        due = get("resolved") + get("overdue")
        out.append({"kind": kind, "label": str(label), "n": get("n"), "resolved": get("resolved"),
                    "on_time": get("on_time"), "overdue": get("overdue"), "called_back": get("called_back"),
                    "satisfied": get("satisfied"),
                    "rate": percent(rate_bp(get("on_time"), due)),
                    "limits": _limit_text(limits(profile, region, (f"procedure.hotline.{kind}.resolution_workdays",),
                                                 today))})
    return out


def tickets_by_month(user, refresh: Refresh | None, months: int = 6) -> list[dict]:
    """Tickets received per month and kind, the last ``months`` months with any (``received.*`` of the aggregates)."""
    if refresh is None:
        return []
    wanted = {f"{month_start(refresh.day, back):%Y-%m}" for back in range(months)}
    out: dict[str, dict[str, int]] = {}
    for key, value in sums(user, prefix="received.", refresh=refresh).items():
        _r, kind, month = key.split(".")
        if month in wanted and kind in TicketKind.values:
            out.setdefault(month, dict.fromkeys(TicketKind.values, 0))[kind] += value
    return [{"month": m, **v} for m, v in sorted(out.items())]


def fund_execution(user, refresh: Refresh | None, year: int | None = None) -> list[dict]:
    """This year's allocations per use (all source levels) against spending from approved payrolls (the
    aggregates' ``spent.*``, counted as ``payments`` counts it)."""
    year = year or (refresh.day.year if refresh else timezone.localdate().year)
    spent = sums(user, prefix="spent.", refresh=refresh) if refresh else {}
    allocated = allocations(actor=user, year=year)
    spent_by_use: dict[str, int] = {}
    for key, value in spent.items():  # spent.<program>.<year>, counted against the program's fund
        _, program, y = key.split(".", 2)
        if y == str(year):
            spent_by_use[fund_of(program)] = spent_by_use.get(fund_of(program), 0) + value
    out = []
    for use in FundUse:
        a = sum(allocated.get(use.value, {}).values())
        s = spent_by_use.get(use.value, 0)
        if a or s:
            out.append({"label": str(use.label), "allocated_fen": a, "spent_fen": s, "balance_fen": a - s,
                        "rate": percent(rate_bp(s, a))})
    return out


def chart_words() -> dict[str, str]:
    """The charts' axis and series names in the reader's language (the script writes none of its own)."""
    # the flows count benefits (救助待遇), not households: a 低保 household whose member also starts a disability
    # subsidy that month is two new benefits
    return {"households": _("户"), "benefits": _("救助待遇"), "ten_thousand_yuan": _("万元"),
            "entitled": _("在保家庭（户）"), "paid_this_month": _("本月发放（万元）"),
            "paid_in_month": _("当月发放（万元）"), "on_time": _("按时"), "late": _("超时"), "allocated": _("下达"),
            "spent": _("已支出")}


def dashboards(user, region: Region | None, refresh: Refresh | None) -> dict:
    profile = region_profile(region)
    return {"flows": flows(user, region, refresh), "steps": steps(user, region, refresh, profile),
            "complaints": complaints(user, region, refresh, profile), "funds": fund_execution(user, refresh),
            "words": chart_words()}
