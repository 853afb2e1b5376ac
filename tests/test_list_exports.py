"""List exports (导出 Excel / CSV): each list exports what its screen shows — in scope, filtered alike — to users with
the ``export`` action only, with Chinese headers and one audit event that never holds an ID number."""

from __future__ import annotations

import csv
import datetime as dt
import io
from types import SimpleNamespace

import openpyxl
import pytest
from django.test import Client

from doudi.audit.models import AuditEvent
from doudi.cases.choices import State
from doudi.cases.models import Case
from doudi.core import exports
from doudi.referrals import services as referral_services
from doudi.reviews.models import Overpayment, ReviewTask
from tests import factories as f
from tests.cases.conftest import apply
from tests.reviews.conftest import entitlement

pytestmark = pytest.mark.django_db

EXPORTS = [
    "/cases/export.{fmt}",
    "/audit/export.{fmt}",
    "/referrals/export.{fmt}",
    "/reviews/export.{fmt}",
    "/reviews/overpayments/export.{fmt}",
]

CASE_HEADERS = ["申请编号", "救助项目", "状态", "户编号", "申请人", "村（社区）", "受理日期", "办结期限", "是否逾期"]


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def download(user, url: str, params: dict | None = None, fmt: str = "csv") -> list[list[str]]:
    """The file's rows (header first) as text, from CSV or .xlsx alike."""
    response = _client(user).get(url.format(fmt=fmt), params or {})
    assert response.status_code == 200, response.status_code
    content = b"".join(response.streaming_content)
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    assert content.startswith("\ufeff".encode()), "CSV needs a BOM for Excel"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def column(rows: list[list[str]], header: str) -> list[str]:
    at = rows[0].index(header)
    return [r[at] for r in rows[1:]]


@pytest.fixture
def world(tree, people):
    """In township A (owner's) and township B (colleague's): a case, a referral, a review task, an overpayment."""
    mine = f.household(tree.village_a, members=2)
    theirs = f.household(tree.village_b, members=1)
    my_case = apply(people.owner, mine).cases.get()
    their_case = apply(people.colleague, theirs).cases.get()
    my_referral = referral_services.referral_create(actor=people.owner, household=mine, need_type="education")
    their_referral = referral_services.referral_create(actor=people.colleague, household=theirs, need_type="housing")
    tasks, overpayments = [], []
    for hh in (mine, theirs):
        ent = entitlement(hh)
        tasks.append(ReviewTask.objects.create(entitlement=ent, household=hh, reason="periodic", key="periodic:1",
                                               due_on=dt.date(2026, 1, 31)))
        overpayments.append(Overpayment.objects.create(
            household=hh, entitlement=ent, reason="death", should_stop_on=dt.date(2026, 1, 1),
            from_month=dt.date(2026, 2, 1), months=["2026-02", "2026-03"], amount_fen=120_000))
    return SimpleNamespace(mine=mine, theirs=theirs, my_case=my_case, their_case=their_case,
                           my_referral=my_referral, their_referral=their_referral, tasks=tasks,
                           overpayments=overpayments)


@pytest.fixture
def no_export(tree):
    """Roles that see lists but may not export: a village assistant and a department user."""
    return [
        f.user("assistant", (tree.village_a, "village_assistant")),
        f.user("med_a", (tree.town_a, "department"), department="medical_security"),
    ]


def ids_of(*households) -> list[str]:
    return [m.person.id_number for h in households for m in h.memberships.all()]


# --- who may export -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", EXPORTS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_users_without_export_get_the_same_404(world, people, no_export, url, fmt):
    for user in [people.outsider, *no_export]:
        assert _client(user).get(url.format(fmt=fmt)).status_code == 404, (user, url)
    assert not AuditEvent.objects.filter(action="export").exists()


@pytest.mark.parametrize("url", EXPORTS)
def test_unknown_format_is_404(world, people, url):
    assert _client(people.auditor).get(url.format(fmt="pdf")).status_code == 404


def test_audit_log_export_is_for_auditors_and_administrators_only(world, people):
    # A township caseworker may export, but reading the log is for supervisors: same 404 as the screen.
    assert _client(people.owner).get("/audit/").status_code == 404
    assert _client(people.owner).get("/audit/export.csv").status_code == 404
    assert _client(people.county).get("/audit/export.csv").status_code == 404


def test_links_are_shown_only_to_users_who_may_export(world, people, no_export):
    html = _client(people.owner).get("/cases/", {"state": "submitted", "overdue": "1"}).content.decode()
    assert "导出 Excel" in html and "/cases/export.xlsx?state=submitted&amp;overdue=1" in html
    for url in ("/referrals/", "/reviews/", "/reviews/overpayments/"):
        assert "导出 Excel" in _client(people.owner).get(url).content.decode(), url
    assert "/audit/export.csv" in _client(people.auditor).get("/audit/").content.decode()
    assistant, department = no_export
    assert "导出 Excel" not in _client(assistant).get("/cases/").content.decode()
    inbox = _client(department).get("/referrals/")
    assert inbox.status_code == 200 and "导出 Excel" not in inbox.content.decode()


# --- what is exported -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_case_export_holds_only_in_scope_cases_with_chinese_headers(world, people, fmt):
    rows = download(people.owner, "/cases/export.{fmt}", fmt=fmt)
    assert rows[0] == CASE_HEADERS
    assert column(rows, "申请编号") == [world.my_case.application.number]
    assert column(rows, "户编号") == [world.mine.number]
    assert column(rows, "状态") == ["已提交"] and column(rows, "村（社区）") == ["甲村"]
    assert column(download(people.colleague, "/cases/export.{fmt}", fmt=fmt), "申请编号") == [
        world.their_case.application.number
    ]
    # The county sees both townships, on screen and in the file.
    assert len(download(people.county, "/cases/export.{fmt}", fmt=fmt)) == 3


def test_case_export_uses_the_screens_filters(world, people, tree):
    other = apply(people.owner, f.household(tree.village_a2)).cases.get()
    Case.objects.filter(pk=other.pk).update(state=State.ACCEPTED, step_due=dt.date(2020, 1, 1))
    every = column(download(people.owner, "/cases/export.{fmt}"), "申请编号")
    assert sorted(every) == sorted([world.my_case.application.number, other.application.number])
    accepted = download(people.owner, "/cases/export.{fmt}", {"state": "accepted"})
    assert column(accepted, "申请编号") == [other.application.number]
    overdue = download(people.owner, "/cases/export.{fmt}", {"overdue": "1"})
    assert column(overdue, "申请编号") == [other.application.number] and column(overdue, "是否逾期") == ["是"]
    # An unknown state is ignored, as on screen.
    assert len(download(people.owner, "/cases/export.{fmt}", {"state": "nonsense"})) == 3
    screen = _client(people.owner).get("/cases/", {"state": "accepted"}).content.decode()
    assert other.application.number in screen and world.my_case.application.number not in screen


def test_export_writes_one_audit_event_with_count_and_filters_and_no_id_numbers(world, people):
    download(people.owner, "/cases/export.{fmt}", {"overdue": "1", "state": "submitted"}, fmt="xlsx")
    event = AuditEvent.objects.get(action="export")
    assert event.actor == people.owner and event.object_type == "cases.case"
    assert event.changes == {"count": 0, "format": "xlsx", "filters": {"state": "submitted", "overdue": "True"}}
    assert "救助案件" in event.object_repr

    # A filter typed by the user may hold an ID number: it is masked in the audit event.
    number = ids_of(world.mine)[0]
    download(people.auditor, "/audit/export.{fmt}", {"who": number})
    event = AuditEvent.objects.filter(action="export").latest("id")
    blob = f"{event.object_repr} {event.reason} {event.changes}"
    for n in ids_of(world.mine, world.theirs):
        assert n not in blob
    assert event.changes["filters"]["who"] == number[:6] + "*" * 11 + number[-1]


def test_audit_log_export_is_scoped_and_filtered_like_the_screen(world, people, tree):
    auditor_a = f.user("auditor_a", (tree.town_a, "auditor"))
    auditor_b = f.user("auditor_b", (tree.town_b, "auditor"))
    rows = download(auditor_a, "/audit/export.{fmt}")
    assert rows[0] == ["时间", "操作人", "操作", "对象", "区划", "IP地址"]
    regions = set(column(rows, "区划"))
    assert regions and all(code.startswith(tree.town_a.prefix) for code in regions)
    their_regions = set(column(download(auditor_b, "/audit/export.{fmt}"), "区划"))
    assert their_regions and all(code.startswith(tree.town_b.prefix) for code in their_regions)

    who = str(people.owner)
    expected = AuditEvent.objects.restrict(people.auditor, "view_full").filter(actor_name=who, action="create")
    filtered = download(people.auditor, "/audit/export.{fmt}", {"action": "create", "who": who})
    assert len(filtered) - 1 == expected.count() > 0
    assert set(column(filtered, "操作")) == {"新增"} and set(column(filtered, "操作人")) == {who}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_referral_export_holds_only_in_scope_referrals_and_honours_filters(world, people, fmt):
    rows = download(people.owner, "/referrals/export.{fmt}", fmt=fmt)
    assert rows[0][:4] == ["户编号", "村（社区）", "救助需求", "承办部门"]
    assert column(rows, "户编号") == [world.mine.number] and column(rows, "救助需求") == ["教育救助"]
    assert column(download(people.colleague, "/referrals/export.{fmt}", fmt=fmt), "户编号") == [world.theirs.number]
    assert len(download(people.owner, "/referrals/export.{fmt}", {"status": "answered"}, fmt=fmt)) == 1
    assert len(download(people.owner, "/referrals/export.{fmt}", {"status": "sent"}, fmt=fmt)) == 2
    assert len(download(people.owner, "/referrals/export.{fmt}", {"overdue": "1"}, fmt=fmt)) == 1  # not yet due


def test_review_export_holds_only_in_scope_tasks_and_honours_filters(world, people):
    rows = download(people.owner, "/reviews/export.{fmt}")
    assert rows[0][:3] == ["核查期限", "户编号", "村（社区）"]
    assert column(rows, "户编号") == [world.mine.number]
    assert column(download(people.colleague, "/reviews/export.{fmt}"), "户编号") == [world.theirs.number]
    ReviewTask.objects.filter(pk=world.tasks[0].pk).update(due_on=dt.date(2020, 1, 1))
    overdue = download(people.owner, "/reviews/export.{fmt}", {"when": "overdue"})
    assert column(overdue, "是否逾期") == ["是"]
    assert len(download(people.owner, "/reviews/export.{fmt}", {"status": "done"})) == 1


def test_overpayment_export_holds_only_in_scope_rows_and_honours_filters(world, people):
    rows = download(people.owner, "/reviews/overpayments/export.{fmt}", fmt="xlsx")
    assert rows[0][:4] == ["户编号", "村（社区）", "救助项目", "原因"]
    assert column(rows, "户编号") == [world.mine.number]
    assert column(rows, "应追回（元）") == ["1200"] and column(rows, "多发月份") == ["2026-02、2026-03"]
    assert column(download(people.colleague, "/reviews/overpayments/export.{fmt}"), "户编号") == [world.theirs.number]
    Overpayment.objects.filter(pk=world.overpayments[0].pk).update(status="recovered", recovered_fen=120_000)
    assert len(download(people.owner, "/reviews/overpayments/export.{fmt}", {"open": "1"})) == 1
    assert len(download(people.owner, "/reviews/overpayments/export.{fmt}")) == 2


# --- the shared writer ----------------------------------------------------------------------------------------


def test_shared_writer_bold_frozen_header_widths_and_bom():
    cols = [exports.Column("日期", 12), exports.Column("金额", 9)]
    rows = [[dt.date(2026, 1, 2), 3], [None, "x"]]
    book = openpyxl.load_workbook(exports.xlsx_file([c.header for c in cols], rows, title="a/b", widths=[12, 9]))
    sheet = book.worksheets[0]
    assert sheet.title == "a b" and sheet.freeze_panes == "A2"
    assert [c.font.b for c in sheet[1]] == [True, True] and sheet.column_dimensions["A"].width == 12
    assert [c.value for c in sheet[2]] == ["2026-01-02", 3]
    text = "".join(exports.csv_chunks(["日期", "金额"], rows))
    assert text == "\ufeff日期,金额\r\n2026-01-02,3\r\n,x\r\n"
    number = f.make_id()
    assert list(exports.masked_rows([[f"申请人 {number}", 5]])) == [[f"申请人 {number[:6]}{'*' * 11}{number[-1]}", 5]]


def test_export_events_are_filed_where_the_auditors_of_that_area_see_them(client, people):
    from doudi.audit.models import AuditEvent

    client.force_login(people.owner)
    assert client.get("/cases/export.csv").status_code == 200
    assert client.get("/registry/export.csv").status_code == 200
    seen = AuditEvent.objects.restrict(people.auditor, "view_full").filter(action="export", actor=people.owner)
    assert seen.count() == 2
    assert not AuditEvent.objects.restrict(people.colleague, "view").filter(action="export").exists()
