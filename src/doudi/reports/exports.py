"""The statutory report as Excel (through the project's one spreadsheet writer, ``core.exports``) and as PDF
(WeasyPrint with Noto CJK). Amounts in yuan with two decimals, exact from the stored fen."""

from __future__ import annotations

from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from doudi.core.exports import Sheet, xlsx_workbook
from doudi.core.money import format_yuan
from doudi.reports.models import StatReport

# (field, header, is money). The column order of the civil-affairs statistics table, simplified.
COLUMNS = (
    ("urban_households", "城市低保户数（户）", False), ("urban_persons", "城市低保人数（人）", False),
    ("urban_fen", "城市低保支出（元）", True), ("rural_households", "农村低保户数（户）", False),
    ("rural_persons", "农村低保人数（人）", False), ("rural_fen", "农村低保支出（元）", True),
    ("tekun_persons", "特困人员人数（人）", False), ("tekun_fen", "特困人员救助供养支出（元）", True),
    ("temporary_times", "临时救助（人次）", False), ("temporary_fen", "临时救助支出（元）", True),
    ("medical_times", "医疗救助（人次）", False), ("medical_fen", "医疗救助支出（元）", True),
    ("special_persons", "孤儿和残疾人两项补贴人数（人）", False),
    ("special_fen", "孤儿和残疾人两项补贴支出（元）", True),
    ("due_fen", "应发合计（元）", True), ("paid_fen", "实发合计（元）", True),
)


def _yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def table(report: StatReport) -> tuple[list[str], list[list]]:
    headers = [_("地区"), *[_(h) for _f, h, _m in COLUMNS]]
    # a report stored before a column existed shows 0 there (its figures are as they were computed)
    rows = [[r["name"], *[_yuan(r.get(f, 0)) if money else r.get(f, 0) for f, _h, money in COLUMNS]]
            for r in report.rows]
    rows.append([_("合计"), *[_yuan(report.totals.get(f, 0)) if money else report.totals.get(f, 0)
                              for f, _h, money in COLUMNS]])
    return headers, rows


def report_title(report: StatReport) -> str:
    period = f"{report.period:%Y年%m月}" if report.kind == "monthly" else \
        f"{report.period.year}年第{(report.period.month - 1) // 3 + 1}季度"
    return f"{report.region.full_name()}{period}{report.get_kind_display()}"


def report_xlsx(report: StatReport):
    headers, rows = table(report)
    notes = [
        [_("填报单位"), report.region.full_name()],
        [_("报表"), report_title(report)],
        [_("应发合计（元）"), _yuan(report.totals.get("due_fen", 0))],
        [_("发放名册合计（元）"), _yuan(report.payroll_total_fen or 0)],
        [_("核对结果"), _("与发放名册一致") if report.reconciled else _("与发放名册不一致，请核查")],
        [_("数据来源"), _("报告期内已审批的发放名册（按发放月份）；人数取报告期末月的按月发放和渐退期发放")],
    ]
    return xlsx_workbook([
        Sheet(title=_("社会救助统计"), headers=headers, rows=rows, widths=[16] + [14] * len(COLUMNS)),
        Sheet(title=_("说明"), headers=[_("项目"), _("内容")], rows=notes, widths=[20, 60]),
    ])


def shown_table(report: StatReport) -> tuple[list[str], list[list]]:
    """The table as people read it: amounts as 1,234.50."""
    headers, rows = table(report)
    return headers, [[format_yuan(int(c * 100)) if isinstance(c, Decimal) else c for c in row] for row in rows]


def report_pdf(report: StatReport) -> bytes:
    from weasyprint import HTML

    headers, shown = shown_table(report)
    html = render_to_string("reports/pdf/statutory.html", {"report": report, "title": report_title(report),
                                                 "headers": headers, "rows": shown,
                                                 "payroll_total": format_yuan(report.payroll_total_fen or 0)})
    return HTML(string=html).write_pdf()
