"""The directors' dashboards and 绩效评价: every figure equals the records counted by hand, in the viewer's
jurisdiction only, from the aggregates (nothing shows before a refresh)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone

from doudi.cases.models import Application, Case, Transition
from doudi.hotline.models import Ticket
from doudi.hotline.services import TicketInput, ticket_accept, ticket_create, ticket_resolve
from doudi.reports import dashboards
from doudi.reports.evaluation import evaluate
from doudi.reports.selectors import desk_data
from doudi.statistics.flows import month_start
from doudi.statistics.selectors import sums
from doudi.statistics.services import statistics_refresh
from tests import factories as f
from tests.reviews.conftest import entitlement


def _monday(weeks_back: int) -> dt.date:
    today = timezone.localdate()
    return today - dt.timedelta(days=today.weekday() + 7 * weeks_back)


def _case(village, steps: list[tuple[str, dt.date, dt.date | None]], *, accepted=None, overall_due=None) -> Case:
    """A case with its transitions written as the workflow writes them: (to_state, day, deadline set)."""
    hh = f.household(village)
    app = Application.objects.create(number=f"SQ{hh.pk}", household=hh, applicant=hh.memberships.first().person,
                                     region=village, channel="window")
    case = Case.objects.create(application=app, household=hh, region=village, program="dibao", workflow="standard",
                               authority_level="county", accepted_on=accepted, overall_due=overall_due)
    previous = "submitted"
    for state, day, due in steps:
        Transition.objects.create(case=case, from_state=previous, to_state=state, step_due=due, on=day)
        previous = state
    return case


@pytest.fixture
def records(tree, people):
    this_month = timezone.localdate().replace(day=1)
    last_month = month_start(this_month, 1)
    # flows: two new 低保 this month in township A, one 特困 last month in B; one exit and one 渐退 in A
    entitlement(f.household(tree.village_a), start=this_month)
    entitlement(f.household(tree.village_a2), start=this_month)
    entitlement(f.household(tree.village_b), "tekun", start=last_month)
    entitlement(f.household(tree.village_a), start=dt.date(2020, 1, 1), status="ended", end_month=this_month)
    entitlement(f.household(tree.village_a), start=dt.date(2020, 1, 1), status="grace",
                grace_start_month=last_month, grace_months=6)
    # steps (Mon → Wed = 2 working days): A's acceptance step on time, B's late; A decided in time, B late
    mon = _monday(3)
    _case(tree.village_a, [("accepted", mon, mon + dt.timedelta(days=2)),
                           ("investigating", mon + dt.timedelta(days=2), None),
                           ("decided_approved", mon + dt.timedelta(days=7), None)],
          accepted=mon, overall_due=mon + dt.timedelta(days=14))
    _case(tree.village_b, [("accepted", mon, mon + dt.timedelta(days=1)),
                           ("investigating", mon + dt.timedelta(days=2), None),
                           ("decided_rejected", mon + dt.timedelta(days=9), None)],
          accepted=mon, overall_due=mon + dt.timedelta(days=8))
    # tickets: A's complaint resolved in time; B's help request open and past its limit
    done = ticket_create(actor=people.owner, data=TicketInput(kind="complaint", channel="phone", summary="投诉",
                                                              region=tree.town_a))
    ticket_accept(actor=people.owner, ticket=done)
    ticket_resolve(actor=people.owner, ticket=done, reply="已办结")
    late = ticket_create(actor=people.colleague, data=TicketInput(kind="help", channel="phone", summary="求助",
                                                                  region=tree.town_b))
    Ticket.objects.filter(pk=late.pk).update(resolution_due=timezone.localdate() - dt.timedelta(days=1))
    statistics_refresh()
    return {"this": f"{this_month:%Y-%m}", "last": f"{last_month:%Y-%m}"}


def test_flows_per_month_program_and_area_equal_the_records(tree, people, records):
    flows = desk_data(people.county)["flows"]
    i, j = flows["months"].index(records["this"]), flows["months"].index(records["last"])
    assert (flows["series"]["new"][i], flows["series"]["new"][j]) == (2, 1)
    assert (flows["series"]["exit"][i], flows["series"]["grace"][j]) == (1, 1)
    by_program = {p["name"]: (p["new"], p["exit"], p["grace"]) for p in flows["programs"]}
    assert by_program == {"最低生活保障": (2, 1, 1), "特困人员救助供养": (1, 0, 0)}
    assert {a["name"]: (a["new"], a["exit"], a["grace"]) for a in flows["areas"]} == {"甲镇": (2, 1, 1),
                                                                                       "乙镇": (1, 0, 0)}


def test_step_times_are_measured_against_the_deadline_stored_with_the_step(tree, people, records):
    steps = {s["state"]: s for s in desk_data(people.county)["steps"]}
    accepted, total = steps["accepted"], steps["total"]
    assert (accepted["n"], accepted["on_time"], accepted["late"], accepted["avg"]) == (2, 1, 1, "2.0")
    assert (total["n"], total["on_time"], total["late"]) == (2, 1, 1)
    assert total["avg"] == "6.0"  # Mon → next Mon: 5 working days; Mon → next Wed: 7
    # the limits printed beside them are the profile's values, with their descriptions
    assert "启动家庭经济状况调查" in accepted["limits"] and "低保办理总时限" in total["limits"]


def test_ticket_timeliness_per_kind(tree, people, records):
    shown = {c["kind"]: c for c in desk_data(people.county)["complaints"]}
    assert (shown["complaint"]["n"], shown["complaint"]["resolved"], shown["complaint"]["on_time"]) == (1, 1, 1)
    assert (shown["help"]["n"], shown["help"]["overdue"], shown["help"]["rate"]) == (1, 1, "0.0%")
    assert "投诉" in shown["complaint"]["limits"] and "示意值" in shown["complaint"]["limits"]


def test_every_figure_is_scoped_to_the_viewer(tree, people, records):
    mine = sums(people.owner, prefix="flow.")
    assert sum(v for k, v in mine.items() if k.startswith("flow.new.")) == 2  # township A only
    assert sum(v for k, v in sums(people.colleague, prefix="flow.").items() if k.startswith("flow.new.")) == 1
    assert sums(people.outsider, prefix="") == {}
    assert sums(people.colleague, prefix="tickets.complaint.") == {}


def test_nothing_shows_before_a_refresh(tree, people):
    entitlement(f.household(tree.village_a), start=timezone.localdate().replace(day=1))
    data = desk_data(people.county)
    assert sum(data["flows"]["series"]["new"]) == 0 and data["steps"] == []


def test_fund_execution_compares_allocations_with_the_aggregated_spending(tree, people):
    from doudi.payments.models import Allocation, FundSource
    from tests.reviews.conftest import pay

    year = timezone.localdate().year
    ent = entitlement(f.household(tree.village_a), monthly_fen=50_000)
    pay(ent, [timezone.localdate().replace(day=1)], payroll_status="approved")
    source = FundSource.objects.create(region=tree.county, year=year, level="central", amount_fen=1_000_000)
    Allocation.objects.create(source=source, use="dibao", amount_fen=200_000)
    statistics_refresh()
    [row] = desk_data(people.county)["funds"]
    assert dashboards.fund_execution(people.county, None, year)[0]["spent_fen"] == 0  # no refresh given: no spending
    assert (row["allocated_fen"], row["spent_fen"], row["balance_fen"], row["rate"]) == (200_000, 50_000,
                                                                                          150_000, "25.0%")


def test_the_carers_fee_is_spent_from_the_tekun_fund_and_special_groups_have_their_own(tree, people):
    """特困人员救助供养标准 = 基本生活 + 照料护理 (seed 000 三(一)3): the carer's fee counts against the 特困 fund;
    a special-group allowance against its own fund, on the desk and on the payments fund page alike."""
    from doudi.payments.models import Allocation, FundSource
    from doudi.payments.selectors import fund_overview
    from tests.reviews.conftest import head, pay

    year = timezone.localdate().year
    month = [timezone.localdate().replace(day=1)]
    hh = f.household(tree.village_a)
    pay(entitlement(hh, "tekun", monthly_fen=90_000, person=head(hh)), month, payroll_status="approved")
    pay(entitlement(hh, "care_fee", monthly_fen=30_000, person=head(hh)), month, payroll_status="approved")
    pay(entitlement(f.household(tree.village_a), "orphan", monthly_fen=12_000), month, payroll_status="approved")
    source = FundSource.objects.create(region=tree.county, year=year, level="central", amount_fen=1_000_000)
    Allocation.objects.create(source=source, use="tekun", amount_fen=400_000)
    Allocation.objects.create(source=source, use="orphan", amount_fen=100_000)
    statistics_refresh()
    desk = {r["label"]: (r["allocated_fen"], r["spent_fen"]) for r in desk_data(people.county)["funds"]}
    assert desk == {"特困人员救助供养": (400_000, 120_000), "孤儿、事实无人抚养儿童基本生活费": (100_000, 12_000)}
    page = {r["use"]: r["spent_fen"] for r in fund_overview(actor=people.county, year=year)}
    assert (page["tekun"], page["orphan"], page.get("care_fee")) == (120_000, 12_000, None)


def test_evaluation_scores_and_ranks_townships_from_the_records(client, tree, people, records):
    ev = evaluate(people.county, tree.county)
    assert [i.key for i in ev.indicators] == ["case_timeliness", "visit_rate", "hotline_timeliness",
                                              "inspection_accuracy"]
    weights = {i.key: i.weight_bp for i in ev.indicators}
    rows = {r.name: r for r in ev.rows}
    a, b = rows["甲镇"], rows["乙镇"]
    # A: decided in time 1/1, its complaint in time 1/1; B: 0/1 and its help request overdue 0/1
    assert a.parts["case_timeliness"] == (1, 1) and a.parts["hotline_timeliness"] == (1, 1)
    assert b.parts["case_timeliness"] == (0, 1) and b.parts["hotline_timeliness"] == (0, 1)
    w = weights["case_timeliness"] + weights["hotline_timeliness"]
    assert a.score_bp == (weights["case_timeliness"] * 10_000 + weights["hotline_timeliness"] * 10_000) // w
    assert b.score_bp == 0 and (a.rank, b.rank) == (1, 2)
    assert [r.name for r in ev.rows] == ["甲镇", "乙镇"]

    client.force_login(people.county)
    html = client.get("/desk/evaluation/").content.decode()
    assert "甲镇" in html and "100.0" in html and "示意值" in html
    response = client.get("/desk/evaluation/evaluation.xlsx")
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[1]][:3] == ["排名", "地区", "得分"]
    assert [c.value for c in sheet[2]][:3] in ([1, "甲镇", "100.0"], ["1", "甲镇", "100.0"])
    from doudi.audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="export", object_type="reports.evaluation", actor=people.county).exists()
    client.force_login(people.owner)
    assert client.get("/desk/evaluation/").status_code == 404
    assert client.get("/desk/evaluation/evaluation.xlsx").status_code == 404


def test_the_profile_is_read_once_per_page_not_once_per_step_and_kind(tree, people, records):
    """The limits printed beside the steps and the ticket kinds come from one read of the region's profile (its
    database overrides are one query), not one read per row of the tables."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from doudi.reports.selectors import top_region
    from doudi.statistics.selectors import latest_refresh

    with CaptureQueriesContext(connection) as ctx:
        data = dashboards.dashboards(people.county, top_region(people.county), latest_refresh())
    profile_reads = [q for q in ctx.captured_queries if "policy_policyvalue" in q["sql"]]
    assert len(profile_reads) == 1
    assert len(data["steps"]) >= 2 and len(data["complaints"]) == 4  # many rows, each with its limits
    assert all(c["limits"] for c in data["complaints"])


def test_desk_hotline_figures_are_read_from_the_aggregates_not_the_tickets(tree, people):
    """The desk's hotline totals, call-back satisfaction and tickets per month and kind are the refreshed figures:
    opening the page reads no ticket row, and a ticket received after the refresh shows after the next one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from doudi.hotline.services import ticket_callback

    def resolved(kind: str, region, satisfaction: str = "") -> Ticket:
        t = ticket_create(actor=people.owner, data=TicketInput(kind=kind, channel="phone", summary="诉求",
                                                               region=region))
        ticket_accept(actor=people.owner, ticket=t)
        ticket_resolve(actor=people.owner, ticket=t, reply="已办结")
        if satisfaction:
            ticket_callback(actor=people.owner, ticket=t, satisfaction=satisfaction)
        return t

    resolved("complaint", tree.town_a, "basic")
    resolved("help", tree.town_a, "unreachable")
    resolved("help", tree.town_a)
    statistics_refresh()
    ticket_create(actor=people.owner, data=TicketInput(kind="consultation", channel="phone", summary="咨询",
                                                       region=tree.town_a))  # after the refresh

    with CaptureQueriesContext(connection) as ctx:
        data = desk_data(people.county)
    assert [q["sql"] for q in ctx.captured_queries if "hotline_ticket" in q["sql"]] == []
    assert data["timeliness"] == {"received": 3, "resolved": 3, "on_time": 3, "satisfied": 1, "called_back": 2}
    month = f"{timezone.localdate():%Y-%m}"
    assert data["tickets"] == [{"month": month, "consultation": 0, "help": 2, "complaint": 1, "report": 0}]
    # scoped like every figure: township B sees none of A's tickets
    other = desk_data(people.colleague)
    assert other["tickets"] == [] and other["timeliness"]["satisfied"] == 0


def test_evaluation_words_are_in_the_reader_language(client, tree, people, records):
    """The 示意值 marker of a weight and the Excel column's 权重 go through gettext like every user-facing word
    (the profile's own note stays as written)."""
    from django.utils import translation
    from openpyxl import load_workbook

    from doudi.policy.services import policy_value_create

    policy_value_create(actor=None, profile=tree.county.effective_profile(), key="evaluation.weight.visit_rate",
                        value=0.5, valid_from=dt.date(2021, 1, 1), illustrative=True, note="本地暂定")
    with translation.override("en"):
        ev = evaluate(people.county, tree.county)
    [visit] = [i for i in ev.indicators if i.key == "visit_rate"]
    assert visit.source == "本地暂定(illustrative value)"
    with translation.override("zh-hans"):
        [visit] = [i for i in evaluate(people.county, tree.county).indicators if i.key == "visit_rate"]
    assert visit.source == "本地暂定（示意值）"

    client.force_login(people.county)
    client.cookies["django_language"] = "en"
    sheet = load_workbook(io.BytesIO(b"".join(client.get("/desk/evaluation/evaluation.xlsx").streaming_content))).active
    headers = [c.value for c in sheet[1]]
    assert any("（Weight 50.0%）" in str(h) for h in headers), headers
    assert not any("权重" in str(h) for h in headers)


def test_chart_words_and_indicator_names_are_translatable(tree, people, records):
    """The charts' axis and series names reach the script through the page's data (gettext, Chinese first), not
    written into the script; the 绩效评价 indicator names are translated like the rest of the page."""
    import re
    from pathlib import Path

    from django.utils import translation

    import doudi.reports

    script = (Path(doudi.reports.__file__).parent / "static" / "reports" / "desk.js").read_text(encoding="utf-8")
    code = "\n".join(line for line in script.splitlines() if not line.lstrip().startswith("//"))
    assert re.findall(r"[\u4e00-\u9fff]+", code) == []
    words = desk_data(people.county)["words"]
    assert (words["households"], words["on_time"], words["spent"]) == ("户", "按时", "已支出")
    with translation.override("en"):
        words = desk_data(people.county)["words"]
        names = [i.label for i in evaluate(people.county, tree.county).indicators]
    assert not [w for w in words.values() if re.search(r"[\u4e00-\u9fff]", w)], words
    assert names and not [n for n in names if re.search(r"[\u4e00-\u9fff]", n)], names


def test_the_flows_chart_counts_benefits_not_households(tree, people):
    """A 低保 household whose member starts a disability subsidy in the same month is two new benefits: the chart's
    total says 救助待遇, not 户 (it would read as two households)."""
    import re
    from pathlib import Path

    import doudi.reports

    hh = f.household(tree.village_a, members=2)
    this_month = timezone.localdate().replace(day=1)
    entitlement(hh, start=this_month)
    entitlement(hh, "disabled_living", start=this_month, person=hh.memberships.order_by("id").last().person,
                covered=1)
    statistics_refresh()
    data = desk_data(people.county)
    assert data["flows"]["series"]["new"][-1] == 2
    script = (Path(doudi.reports.__file__).parent / "static" / "reports" / "desk.js").read_text(encoding="utf-8")
    [flows_chart] = re.findall(r'chart\("chart-flows", \{.*?\n  \}\);', script, re.S)
    assert "name: w.benefits" in flows_chart and "w.households" not in flows_chart
    assert data["words"]["benefits"] == "救助待遇"
