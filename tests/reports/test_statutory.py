"""Statutory reports: totals equal the payrolls to the fen, rows per area, scoping, Excel and PDF output."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from doudi.core.errors import NotFoundOrForbidden
from doudi.payments.models import Payroll
from doudi.reports import build, services
from doudi.reports.exports import report_pdf, report_xlsx
from doudi.reports.models import StatReport
from doudi.reports.services import ReportError
from tests import factories as f
from tests.reviews.conftest import entitlement, pay

OCT, SEP = dt.date(2026, 10, 1), dt.date(2026, 9, 1)


@pytest.fixture
def paid(tree):
    """Payroll lines in both townships of the county: regular 低保 (urban and rural), a 特困 line, a failed line,
    a back-payment, a draft payroll (not counted) and another county's payroll (not counted)."""
    urban = entitlement(f.household(tree.village_a2, members=3), monthly_fen=150_050)
    rural = entitlement(f.household(tree.village_a, members=2), monthly_fen=99_999)
    tekun = entitlement(f.household(tree.village_b, members=1), "tekun", monthly_fen=123_456)
    for ent in (urban, rural, tekun):
        for line in pay(ent, [SEP, OCT], payroll_status="approved"):
            line.persons = ent.covered_members  # as the payroll writes it
            line.save()
            line.payroll.total_fen += line.amount_fen
            line.payroll.save()
    failed = pay(entitlement(f.household(tree.village_b, members=4), monthly_fen=70_001), [OCT], status="failed",
                 payroll_status="approved")[0]
    failed.payroll.total_fen += failed.amount_fen
    failed.payroll.save()
    other_county = f.region("150783000000", "扎兰屯市", "county", tree.city)
    other = f.region("150783001001", "兴华社区", "village", f.region("150783001000", "兴华街道", "township",
                                                                     other_county))
    elsewhere = pay(entitlement(f.household(other), monthly_fen=55_500), [OCT], payroll_status="approved")[0]
    elsewhere.payroll.total_fen += elsewhere.amount_fen
    elsewhere.payroll.save()
    draft = entitlement(f.household(tree.village_a), "dibao_single", monthly_fen=11_100)
    pay(draft, [OCT], payroll_status="draft")
    return {"urban": urban, "rural": rural, "tekun": tekun, "failed": failed}


def _build(actor, region, kind="monthly", period=OCT) -> StatReport:
    report = services.report_request(actor=actor, region=region, kind=kind, period=period)
    return build.report_build(report_id=report.pk)


def test_report_totals_equal_the_payroll_totals_to_the_fen(tree, people, paid):
    report = _build(people.county, tree.county)
    counted = Payroll.objects.filter(month=OCT, status="approved", region__code__startswith=tree.county.prefix)
    assert report.totals["due_fen"] == sum(p.total_fen for p in counted) == report.payroll_total_fen
    assert report.reconciled
    assert report.totals["due_fen"] == 150_050 + 99_999 + 123_456 + 70_001
    assert report.totals["paid_fen"] == 150_050 + 99_999 + 123_456  # the failed line is due, not paid
    assert report.totals["urban_households"] == 1 and report.totals["urban_persons"] == 3
    assert report.totals["urban_fen"] == 150_050 and report.totals["tekun_fen"] == 123_456
    by_area = {r["name"]: r for r in report.rows}
    assert set(by_area) == {"甲镇", "乙镇"}
    assert by_area["甲镇"]["due_fen"] + by_area["乙镇"]["due_fen"] == report.totals["due_fen"]


def test_a_quarter_sums_its_months(tree, people, paid):
    quarter = _build(people.county, tree.county, "quarterly", dt.date(2026, 8, 1))
    assert quarter.period == dt.date(2026, 7, 1)
    assert quarter.totals["due_fen"] == 150_050 + 99_999 + 123_456  # only September is in Q3
    assert quarter.reconciled


def test_a_city_report_has_a_row_per_county(tree, people, paid):
    city_user = f.user("cityuser", (tree.city, "civil_affairs"))
    report = _build(city_user, tree.city)
    assert [r["name"] for r in report.rows] == ["海拉尔区", "扎兰屯市"] and report.reconciled


def test_only_county_and_above_within_scope(tree, people, paid):
    with pytest.raises(NotFoundOrForbidden):
        services.report_request(actor=people.owner, region=tree.town_a, kind="monthly", period=OCT)
    with pytest.raises(NotFoundOrForbidden):
        services.report_request(actor=people.county, region=tree.city, kind="monthly", period=OCT)
    with pytest.raises(ReportError):
        services.report_request(actor=people.county, region=tree.county, kind="monthly", period=dt.date(2099, 1, 1))


def test_a_rerun_replaces_and_a_claimed_report_is_not_built_twice(tree, people, paid):
    first = _build(people.county, tree.county)
    again = _build(people.county, tree.county)
    assert first.pk == again.pk and StatReport.objects.count() == 1
    assert build.report_build(report_id=first.pk) is None  # done: nothing to claim


def test_excel_and_pdf(tree, people, paid):
    report = _build(people.county, tree.county)
    book = load_workbook(io.BytesIO(report_xlsx(report).read()))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "地区" and rows[-1][0] == "合计"
    due_col = rows[0].index("应发合计（元）")
    assert round(rows[-1][due_col] * 100) == report.payroll_total_fen
    assert book.worksheets[1]["B6"].value == "与发放名册一致"
    pdf = report_pdf(report)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000


def test_screens_and_downloads(client, tree, people, paid):
    client.force_login(people.county)
    r = client.post("/desk/statutory/", {"region": tree.county.code, "kind": "monthly", "month": "2026-10"})
    report = StatReport.objects.get()
    assert r.status_code == 302
    build.report_build(report_id=report.pk)
    page = client.get(f"/desk/statutory/{report.pk}/").content.decode()
    assert "与发放名册核对一致" in page and "4,435.06" in page  # 1 500.50 + 999.99 + 1 234.56 + 700.01
    assert client.get(f"/desk/statutory/{report.pk}/report.xlsx").status_code == 200
    bad = client.post("/desk/statutory/", {"region": tree.county.code, "kind": "monthly", "month": "2026-13"})
    assert bad.status_code == 200 and "2026-03" in bad.content.decode()
    client.force_login(people.owner)
    assert client.get(f"/desk/statutory/{report.pk}/").status_code == 404


def test_a_line_added_behind_the_payrolls_back_shows_as_not_reconciled(tree, people, paid):
    # A line slipped into an approved payroll without its total being updated: the report says so.
    pay(entitlement(f.household(tree.village_a), monthly_fen=11_100), [OCT], payroll_status="approved")
    report = _build(people.county, tree.county)
    assert not report.reconciled and report.totals["due_fen"] - report.payroll_total_fen == 11_100


def test_a_person_with_both_disability_subsidies_is_one_person_in_the_special_column(tree, people, paid):
    """困难残疾人生活补贴 and 重度残疾人护理补贴 often go to the same person: the column counts persons (人), so that
    person is counted once, while the money of both lines is counted in full; an orphan is another person."""
    hh = f.household(tree.village_a, members=3)
    disabled, orphan = [m.person for m in hh.memberships.order_by("id")][:2]
    lines = []
    for program, person, fen in (("disabled_living", disabled, 10_000), ("disabled_care", disabled, 8_000),
                                 ("orphan", orphan, 150_000)):
        ent = entitlement(hh, program, monthly_fen=fen, person=person, covered=1)
        lines += pay(ent, [OCT], payroll_status="approved")
    for line in lines:
        line.payroll.total_fen += line.amount_fen
        line.payroll.save()
    report = _build(people.county, tree.county)
    assert report.totals["special_persons"] == 2
    assert report.totals["special_fen"] == 10_000 + 8_000 + 150_000
    assert {r["name"]: r["special_persons"] for r in report.rows} == {"甲镇": 2, "乙镇": 0}
    assert report.reconciled
