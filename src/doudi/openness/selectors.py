"""What the public may read, per county, township or village (信息公开). No login, so nothing here is scoped to a
user: each function returns only the fields the notice rules allow (national-rules §7: name, household size and
amount on the standing list, in the recipient's own village; everything else aggregated), never an ID number,
address, phone, bank account, health or disability detail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from doudi.benefits.choices import EntitlementStatus, Program
from doudi.benefits.models import Entitlement
from doudi.core.money import format_yuan
from doudi.payments.choices import LineStatus
from doudi.payments.models import PayrollLine
from doudi.policy.services import profile_load_effective
from doudi.regions.models import Region
from doudi.registry.models import Membership
from doudi.rules.params import BP

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


def recipients_by_village(region: Region) -> list[ProgramCount]:
    rows = (Entitlement.objects.filter(household__region__code__startswith=region.prefix, status__in=CURRENT)
            .values("household__region__name", "household__region_id", "program")
            .annotate(h=Count("household_id", distinct=True), p=Sum("covered_members"), m=Sum("monthly_fen"))
            .order_by("household__region_id", "program"))
    return [ProgramCount(r["household__region__name"], str(Program(r["program"]).label), r["h"], r["p"] or 0,
                         r["m"] or 0) for r in rows]


@dataclass(frozen=True)
class FundRow:
    month: dt.date
    program: str
    lines: int
    paid_fen: int


def fund_use(region: Region, *, months: int = 6, today: dt.date | None = None) -> list[FundRow]:
    """Money actually paid (bank-confirmed lines) per month and program, the last ``months`` months."""
    today = today or timezone.localdate()
    start = (today.replace(day=1) - dt.timedelta(days=31 * (months - 1))).replace(day=1)
    rows = (PayrollLine.objects.filter(region_code__startswith=region.prefix, status=LineStatus.PAID,
                                       month__gte=start)
            .values("month", "program").annotate(n=Count("id"), s=Sum("amount_fen")).order_by("-month", "program"))
    return [FundRow(r["month"], str(Program(r["program"]).label), r["n"], r["s"] or 0) for r in rows]


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
