"""Reads, always scoped to the acting user's jurisdiction (``restrict`` fails closed)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core import exports
from doudi.core.errors import NotFoundOrForbidden
from doudi.core.money import fen_to_yuan
from doudi.eligibility.services import params_for
from doudi.payments.amounts import setting
from doudi.payments.choices import FundLevel, FundUse, LineKind, LineStatus, PayrollStatus, fund_of
from doudi.payments.models import Allocation, FundSource, PassbookAgreement, Payroll, PayrollLine
from doudi.registry.models import Household

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from doudi.accounts.models import User

APPROVED = (PayrollStatus.APPROVED, PayrollStatus.EXPORTED, PayrollStatus.RECONCILED)


def payroll_list(*, actor: User) -> QuerySet[Payroll]:
    return Payroll.objects.restrict(actor, Action.VIEW).select_related("region")


def payroll_get(*, actor: User, pk: int, action: str = Action.VIEW_FULL) -> Payroll:
    """One payroll with its lines (names, accounts, amounts): a full record, not for list-only roles."""
    # The detail page names maker, reviewer and approver: joined here, not three more queries.
    payroll = (Payroll.objects.restrict(actor, action).select_related("region", "created_by", "reviewed_by",
                                                                       "approved_by")
               .filter(pk=pk).first())
    if payroll is None:
        raise NotFoundOrForbidden(_("未找到该发放名册，或不在您的辖区内"))
    return payroll


def payroll_open(*, actor: User, pk: int) -> Payroll:
    """The payroll page: its lines are a full record, so every opening is audited."""
    payroll = payroll_get(actor=actor, pk=pk)
    audit_record(actor=actor, action=AuditAction.VIEW, obj=payroll, region_code=payroll.region_id)
    return payroll


def household_payments(
    *, actor: User, household_id: int
) -> tuple[Household, QuerySet[PayrollLine], QuerySet[PassbookAgreement]]:
    household = Household.objects.restrict(actor, Action.VIEW_FULL).filter(pk=household_id).first()
    if household is None:
        raise NotFoundOrForbidden(_("未找到该家庭，或不在您的辖区内"))
    lines = (PayrollLine.objects.restrict(actor, Action.VIEW_FULL).filter(household=household)
             .select_related("payroll").order_by("-month", "kind", "id"))
    agreements = PassbookAgreement.objects.filter(household=household).order_by("-agreement_date")
    return household, lines, agreements


def monthly_totals(*, actor: User, year: int, region_prefix: str = "", approved_only: bool = True) -> list[dict]:
    """Totals per month, program and category (line kind) in the user's jurisdiction, from payroll lines."""
    qs = PayrollLine.objects.restrict(actor, Action.VIEW).filter(payroll__month__year=year)
    if region_prefix:
        qs = qs.filter(region_code__startswith=region_prefix)
    if approved_only:
        qs = qs.filter(payroll__status__in=APPROVED)
    # A failed payment that was re-issued is counted once: the failed line is left out of spending.
    qs = qs.exclude(status="failed", reissues__isnull=False).exclude(status=LineStatus.HELD)  # held: not paid
    return list(qs.values("payroll__month", "program", "kind").annotate(
        lines=Count("id"), persons=Sum("persons"), total_fen=Sum("amount_fen"))
        .order_by("payroll__month", "program", "kind"))


def totals_by_program(rows: list[dict]) -> tuple[list[str], dict[str, list[int]]]:
    months = sorted({r["payroll__month"].strftime("%Y-%m") for r in rows})
    series: dict[str, list[int]] = {}
    for r in rows:
        s = series.setdefault(r["program"], [0] * len(months))
        s[months.index(r["payroll__month"].strftime("%Y-%m"))] += r["total_fen"]
    return months, series


def totals_workbook(rows: list[dict], *, funds: list[dict]) -> bytes:
    """Statements (年度统计) as two sheets, through the one spreadsheet writer."""
    from doudi.benefits.choices import Program

    monthly = [[r["payroll__month"].strftime("%Y-%m"), str(Program(r["program"]).label), str(LineKind(r["kind"]).label),
                r["lines"], r["persons"], fen_to_yuan(r["total_fen"])] for r in rows]
    sources = [[f["label"], *[fen_to_yuan(f["by_level"].get(lv, 0)) for lv in FundLevel.values],
                fen_to_yuan(f["allocated_fen"]), fen_to_yuan(f["spent_fen"])] for f in funds]
    return exports.xlsx_workbook([
        exports.Sheet("月度发放汇总", ["月份", "救助项目", "类别", "笔数", "人数", "金额（元）"], monthly),
        exports.Sheet("资金来源与支出", ["用途", "中央", "省级", "市级", "县级", "社会捐赠", "分配合计（元）",
                                         "已审批支出（元）"], sources),
    ]).read()


def spending(qs: QuerySet[PayrollLine], *, year: int) -> QuerySet[PayrollLine]:
    """The payroll lines that count as spent in ``year``: approved payrolls, not held, a failed line only until it
    is reissued (the reissue counts instead). ``qs``: the lines to start from (scoped, or a range of villages)."""
    return (qs.filter(payroll__month__year=year, payroll__status__in=APPROVED)
            .exclude(status="failed", reissues__isnull=False).exclude(status=LineStatus.HELD))


def allocations(*, actor: User, year: int) -> dict[str, dict[str, int]]:
    """use → source level → allocated fen, in the user's jurisdiction."""
    out: dict[str, dict[str, int]] = {}
    for a in (Allocation.objects.restrict(actor, Action.VIEW).filter(source__year=year)
              .values("use", "source__level").annotate(t=Sum("amount_fen"))):
        out.setdefault(a["use"], {})[a["source__level"]] = a["t"]
    return out


def fund_overview(*, actor: User, year: int) -> list[dict]:
    """Allocations per use and source level, against spending from approved payrolls (the uses that have either)."""
    allocs = [{"use": use, "source__level": level, "t": t}
              for use, levels in allocations(actor=actor, year=year).items() for level, t in levels.items()]
    spent: dict[str, int] = {}
    for program, t in (spending(PayrollLine.objects.restrict(actor, Action.VIEW), year=year)
                       .values_list("program").annotate(t=Sum("amount_fen"))):
        spent[fund_of(program)] = spent.get(fund_of(program), 0) + t
    out = []
    for use in FundUse:
        by_level = {a["source__level"]: a["t"] for a in allocs if a["use"] == use.value}
        if not by_level and not spent.get(use.value):
            continue  # a fund with nothing allocated and nothing spent this year is not a row of zeros
        out.append({"use": use.value, "label": str(use.label), "by_level": by_level,
                    "allocated_fen": sum(by_level.values()), "spent_fen": spent.get(use.value, 0)})
    return out


@dataclass
class CapCheck:
    year: int
    base_fen: int  # last year's central + provincial (regional) subsidy funds
    cap_bp: int | None  # None: the profile sets no cap
    cap_fen: int | None
    purchased_fen: int
    from_profile: bool
    source: str = ""

    @property
    def ok(self) -> bool:
        return self.cap_fen is None or self.purchased_fen <= self.cap_fen


def purchased_services_cap(*, actor: User, region, year: int) -> CapCheck:
    """政府购买服务 ≤ cap share × last year's central + regional (provincial-level) subsidy funds ([000] 三(五)4).
    The share is the region's policy profile's (``funds.purchased_services_cap``, with its source); a profile
    without one sets no cap — no locality's figure applies to another."""
    import datetime as dt

    params = params_for(region.effective_profile(), as_of=dt.date(year, 1, 1), area=None)
    from_profile = params.get("funds.purchased_services_cap") is not None
    cap_bp = setting(params, "funds.purchased_services_cap")
    scoped = Allocation.objects.restrict(actor, Action.VIEW).filter(source__region__code__startswith=region.prefix)
    base = scoped.filter(source__year=year - 1, source__level__in=[FundLevel.CENTRAL, FundLevel.PROVINCIAL]).exclude(
        use=FundUse.PURCHASED_SERVICES).aggregate(t=Sum("amount_fen"))["t"] or 0
    purchased = scoped.filter(source__year=year, use=FundUse.PURCHASED_SERVICES).aggregate(
        t=Sum("amount_fen"))["t"] or 0
    # cap rounds down to the fen: the limit is "not more than".
    return CapCheck(year=year, base_fen=base, cap_bp=cap_bp,
                    cap_fen=None if cap_bp is None else base * cap_bp // 10_000, purchased_fen=purchased,
                    from_profile=from_profile, source=params.label("funds.purchased_services_cap"))


def fund_sources(*, actor: User, year: int) -> QuerySet[FundSource]:
    return FundSource.objects.restrict(actor, Action.VIEW).filter(year=year).select_related("region").annotate(
        allocated=Sum("allocations__amount_fen")).order_by("region_id", "level")
