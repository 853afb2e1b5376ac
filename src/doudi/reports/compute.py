"""The monthly and quarterly social-assistance report (社会救助统计月报/季报), computed from the payroll.

Rows are the reporting unit's next level down (a city reports its counties, a county its townships, a township its
villages). Money is what the payrolls of the period pay out (发放月份 in the period, payrolls approved or later):
应发 (every line, so the total equals the payrolls' own totals to the fen) and 实发 (lines the bank confirmed).
Recipients are counted from the month's regular and 渐退 lines (the period's last month for a quarter): households
and persons for 低保 (urban and rural by the household's 城乡类别), persons for 特困, person-times for 临时救助.
Nothing here restates a rule: the payroll already paid what the engine decided.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, Sum

from doudi.benefits.choices import Program
from doudi.payments.choices import LineKind, LineStatus, PayrollStatus
from doudi.payments.models import Payroll, PayrollLine
from doudi.regions.choices import LEVEL_ORDER, PREFIX_LENGTH
from doudi.regions.models import Region

COUNTED = (PayrollStatus.APPROVED, PayrollStatus.EXPORTED, PayrollStatus.RECONCILED)
PERSON_KINDS = (LineKind.REGULAR, LineKind.GRACE)
# The report column of each program (the programs are ``benefits.choices.Program``). 低保 includes 单人户 (one
# household, one covered person). The 特困 care fee (照料护理费, paid to the carer by the payroll as ``care_fee``) is
# 特困 support expenditure; its lines are not counted as persons (the person is counted on the 特困 line).
# The special groups (孤儿、事实无人抚养儿童基本生活费, 残疾人两项补贴) have their own column: persons paid, money.
COLUMN = {Program.DIBAO: "dibao", Program.DIBAO_SINGLE: "dibao", Program.TEKUN: "tekun", Program.CARE_FEE: "tekun",
          Program.TEMPORARY: "temporary", Program.MEDICAL: "medical", Program.ORPHAN: "special",
          Program.DISABLED_LIVING: "special", Program.DISABLED_CARE: "special"}
FIELDS = ("urban_households", "urban_persons", "urban_fen", "rural_households", "rural_persons", "rural_fen",
          "tekun_persons", "tekun_fen", "temporary_times", "temporary_fen", "medical_times", "medical_fen",
          "special_persons", "special_fen", "due_fen", "paid_fen")


def months_of(kind: str, period: dt.date) -> list[dt.date]:
    first = period.replace(day=1)
    if kind == "quarterly":
        start = dt.date(first.year, 3 * ((first.month - 1) // 3) + 1, 1)
        return [dt.date(start.year, start.month + i, 1) for i in range(3)]
    return [first]


def child_len(region: Region) -> int:
    """The prefix length of the areas one level below ``region`` (its report rows); a village's is its own."""
    level = LEVEL_ORDER[min(LEVEL_ORDER.index(region.level) + 1, len(LEVEL_ORDER) - 1)]
    return PREFIX_LENGTH[level]


def _group(program: str) -> str:
    """The report column of a program; a program the table does not know yet is counted with 临时救助 (the catch-all
    of the civil-affairs table), so the report still reconciles to the payroll."""
    return COLUMN.get(program, "temporary")


def _empty() -> dict[str, int]:
    return dict.fromkeys(FIELDS, 0)


def _add_money(row: dict, r: dict) -> None:
    group, area = _group(r["program"]), r["household__area_type"]
    fen, paid = r["fen"] or 0, r["paid"] or 0
    key = f"{area}_fen" if group == "dibao" else f"{group}_fen"
    row[key] += fen
    row["due_fen"] += fen
    row["paid_fen"] += paid
    if group in ("temporary", "medical"):
        row[f"{group}_times"] += r["n"]


def _add_people(row: dict, r: dict) -> None:
    group, area = _group(r["program"]), r["household__area_type"]
    if group == "dibao":
        row[f"{area}_households"] += r["h"]
        row[f"{area}_persons"] += r["p"] or 0
    elif r["program"] == Program.TEKUN:
        row["tekun_persons"] += r["p"] or 0


def compute(region: Region, kind: str, period: dt.date) -> tuple[list[dict], dict, int]:
    """(rows by child area, totals, the payrolls' own total) for ``region`` and the period."""
    months = months_of(kind, period)
    payrolls = Payroll.objects.filter(month__in=months, status__in=COUNTED, region__code__startswith=region.prefix)
    lines = PayrollLine.objects.filter(payroll__in=payrolls, region_code__startswith=region.prefix)
    n = child_len(region)
    rows: dict[str, dict] = defaultdict(_empty)
    money = (lines.values("region_code", "program", "household__area_type")
             .annotate(n=Count("id"), fen=Sum("amount_fen"),
                       paid=Sum("amount_fen", filter=Q(status=LineStatus.PAID))))
    for r in money:
        _add_money(rows[r["region_code"][:n]], r)
    people = (lines.filter(payroll__month=months[-1], kind__in=PERSON_KINDS)
              .values("region_code", "program", "household__area_type")
              .annotate(h=Count("household_id", distinct=True), p=Sum("persons")))
    for r in people:
        _add_people(rows[r["region_code"][:n]], r)
    # The special groups' column counts persons (人): one person often receives both disability subsidies, so
    # the persons are counted once across the column's programs (a line without a person counts its ``persons``).
    special = (lines.filter(payroll__month=months[-1], kind__in=PERSON_KINDS,
                            program__in=[p for p, g in COLUMN.items() if g == "special"])
               .values("region_code").annotate(p=Count("person", distinct=True),
                                               unnamed=Sum("persons", filter=Q(person__isnull=True))))
    for r in special:
        rows[r["region_code"][:n]]["special_persons"] += r["p"] + (r["unnamed"] or 0)
    names = dict(Region.objects.filter(code__in=[c.ljust(12, "0") for c in rows]).values_list("code", "name"))
    out = [{"code": c.ljust(12, "0"), "name": names.get(c.ljust(12, "0"), c), **v} for c, v in sorted(rows.items())]
    totals = _empty()
    for row in out:
        for f in FIELDS:
            totals[f] += row[f]
    payroll_total = payrolls.aggregate(t=Sum("total_fen"))["t"] or 0
    return out, totals, payroll_total
