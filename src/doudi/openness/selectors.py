"""What the public may read, per county, township or village (信息公开). No login, so nothing here is scoped to a
user: each function returns only the fields the notice rules allow (national-rules §7: name, household size and
amount on the standing list, in the recipient's own village; everything else aggregated), never an ID number,
address, phone, bank account, health or disability detail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from doudi.benefits.choices import EntitlementStatus, Program
from doudi.benefits.models import Entitlement
from doudi.core.money import format_yuan
from doudi.policy.services import profile_load_effective
from doudi.regions.models import Region
from doudi.registry.models import Membership
from doudi.rules.params import BP
from doudi.statistics.models import Refresh
from doudi.statistics.selectors import latest_refresh, public_sums

CURRENT = (EntitlementStatus.ACTIVE, EntitlementStatus.GRACE)
# Programs with a standing public list: 低保 (S1 Art 24: 申请人姓名、家庭成员数量、保障金额) and 特困 (S2 Art 17 公布).
LISTED = (Program.DIBAO, Program.DIBAO_SINGLE, Program.TEKUN)
# Policy values published on the page, in this order (each with its source, or marked 示意值).
PUBLISHED_KEYS = (
    "dibao.standard.urban", "dibao.standard.rural", "tekun.basic_multiple.urban", "tekun.basic_multiple.rural",
    "tekun.care_share.complete", "tekun.care_share.partial", "tekun.care_share.able", "temporary.township_limit",
    "grace.months", "review.months.stable", "review.months.unstable", "procedure.notice_days",
    "procedure.total_delegated_workdays", "procedure.hotline.help.resolution_workdays",
    "procedure.hotline.complaint.resolution_workdays", "procedure.hotline.report.resolution_workdays",
)


@dataclass(frozen=True)
class Standard:
    key: str
    description: str
    value: str
    valid_from: dt.date
    source: str


def _shown(key: str, value) -> str:
    """A policy value as the public reads it: yuan, a multiple, a percentage or a count."""
    if key.startswith(("dibao.standard", "temporary.township_limit")):
        return f"{format_yuan(value)} 元"
    if "multiple" in key:
        return f"{(Decimal(value) / BP).normalize():f} 倍"
    if "share" in key:
        return f"{Decimal(value) * 100 / BP:.0f}%"
    return str(value)


def standards(region: Region, *, today: dt.date | None = None) -> list[Standard]:
    from doudi.policy.values import key_spec

    today = today or timezone.localdate()
    profile = profile_load_effective(name_or_path=region.effective_profile())
    out = []
    for key in PUBLISHED_KEYS:
        entry = profile.resolve(key, today, region.area_type or None)
        if entry is None:
            continue
        spec = key_spec(key)
        source = entry.source or ""
        if entry.illustrative:
            note = entry.note or ""
            source = note if note.startswith("示意") else f"示意值：{note}"
        out.append(Standard(key, spec[1] if spec else key, _shown(key, entry.value), entry.valid_from, source))
    return out


@dataclass(frozen=True)
class ProgramCount:
    village: str
    program: str
    households: int
    persons: int
    monthly_fen: int


def recipients_by_village(region: Region, *, refresh: Refresh | None = None) -> list[ProgramCount]:
    """Current recipients per village and program, from the maintained aggregates (``doudi.statistics``: the page
    says when they were counted), so a public page never sums the entitlements or the payroll itself. ``refresh``:
    the one the page shows, else the last finished."""
    per_code, _refresh = public_sums(region=region.prefix, prefix="recip.", group_by_region=True, refresh=refresh)
    names = dict(Region.objects.filter(code__in=list(per_code)).values_list("code", "name"))
    out = []
    for code in sorted(per_code):
        keys = per_code[code]
        for p in Program:
            if keys.get(f"recip.hh.{p}"):
                out.append(ProgramCount(names.get(code, code), str(p.label), keys[f"recip.hh.{p}"],
                                        keys.get(f"recip.persons.{p}", 0), keys.get(f"recip.fen.{p}", 0)))
    return out


@dataclass(frozen=True)
class FundRow:
    month: dt.date
    program: str
    lines: int
    paid_fen: int


def fund_use(region: Region, *, refresh: Refresh | None = None) -> list[FundRow]:
    """Money actually paid (bank-confirmed lines) per month and program over the months the aggregates keep
    (``statistics.flows.FUND_MONTHS``), summed from the maintained figures, not from the payroll lines."""
    totals, _refresh = public_sums(region=region.prefix, prefix="paid.", refresh=refresh)
    rows: dict[tuple[str, str], list[int]] = {}
    for key, value in totals.items():
        _paid, what, program, month = key.split(".")
        rows.setdefault((month, program), [0, 0])[0 if what == "n" else 1] += value
    order = {p.value: i for i, p in enumerate(Program)}
    out = []
    for (month, program), (lines, fen) in sorted(rows.items(), key=lambda kv: (kv[0][0], -order.get(kv[0][1], 99)),
                                                 reverse=True):
        year, mon = (int(x) for x in month.split("-"))
        out.append(FundRow(dt.date(year, mon, 1), str(Program(program).label), lines, fen))
    return out


def shown_refresh() -> Refresh | None:
    """The refresh a public page shows (its figures and its "截至" time), read once per page."""
    return latest_refresh()


@dataclass(frozen=True)
class ListedRecipient:
    name: str
    household_size: int
    program: str
    monthly_fen: int


def standing_list(village: Region, *, today: dt.date | None = None) -> list[ListedRecipient]:
    """低保/特困 standing list of one village (S1 Art 24): the name (the person for 特困 and 单人户, the household
    head for 低保), the number covered and the monthly amount. Nothing else is read."""
    today = today or timezone.localdate()
    ents = list(Entitlement.objects.filter(household__region=village, status__in=CURRENT, program__in=LISTED)
                .values("household_id", "person__name", "program", "covered_members", "monthly_fen")
                .order_by("program", "household_id"))
    heads = dict(Membership.objects.filter(household_id__in={e["household_id"] for e in ents}, relationship="head")
                 .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
                 .values_list("household_id", "person__name"))
    return [ListedRecipient(e["person__name"] or heads.get(e["household_id"], ""), e["covered_members"],
                            str(Program(e["program"]).label), e["monthly_fen"]) for e in ents]
