"""The directors' new dashboards and 绩效评价 in a real browser, for each role: a county director, a city auditor
(dashboards drawn, figures in the tables, the ranked evaluation), a township caseworker (today's work only, the
evaluation refused). Screenshots go to /tmp/doudi-shots."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from doudi.hotline.models import Ticket
from doudi.hotline.services import TicketInput, ticket_accept, ticket_create, ticket_resolve
from doudi.statistics.services import statistics_refresh
from tests import factories as f
from tests.browser.test_sunshine import _login, _shot
from tests.reports.test_dashboards import _case, _monday
from tests.reviews.conftest import entitlement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(transactional_db):
    province = f.region("150000000000", "内蒙古自治区", "province")
    city = f.region("150700000000", "呼伦贝尔市", "city", province)
    county = f.region("150702000000", "海拉尔区", "county", city, "urban")
    towns = [f.region("150702001000", "甲镇", "township", county), f.region("150702002000", "乙镇", "township", county)]
    villages = [f.region(f"{t.code[:9]}001", f"{t.name}一村", "village", t) for t in towns]
    people = {"county": f.user("xian", (county, "civil_affairs"), display_name="区民政局"),
              "auditor": f.user("shenji", (city, "auditor"), display_name="市审计局"),
              "township": f.user("zhen", (towns[0], "township_caseworker"), display_name="甲镇经办员")}
    this_month = timezone.localdate().replace(day=1)
    for i, v in enumerate(villages):
        for n in range(3 + i):
            entitlement(f.household(v, members=2), start=(this_month - dt.timedelta(days=31 * n)).replace(day=1))
    entitlement(f.household(villages[0]), start=dt.date(2020, 1, 1), status="ended", end_month=this_month)
    mon = _monday(3)
    _case(villages[0], [("accepted", mon, mon + dt.timedelta(days=2)), ("investigating", mon + dt.timedelta(days=2),
                                                                        None),
                        ("decided_approved", mon + dt.timedelta(days=7), None)],
          accepted=mon, overall_due=mon + dt.timedelta(days=14))
    _case(villages[1], [("accepted", mon, mon + dt.timedelta(days=1)), ("investigating", mon + dt.timedelta(days=3),
                                                                        None),
                        ("decided_rejected", mon + dt.timedelta(days=9), None)],
          accepted=mon, overall_due=mon + dt.timedelta(days=8))
    done = ticket_create(actor=people["township"], data=TicketInput(kind="complaint", channel="phone",
                                                                    summary="投诉", region=towns[0]))
    ticket_accept(actor=people["township"], ticket=done)
    ticket_resolve(actor=people["township"], ticket=done, reply="已办结")
    late = ticket_create(actor=people["county"], data=TicketInput(kind="help", channel="phone", summary="求助",
                                                                  region=towns[1]))
    Ticket.objects.filter(pk=late.pk).update(resolution_due=timezone.localdate() - dt.timedelta(days=1))
    statistics_refresh()
    return people


@pytest.mark.parametrize(("who", "first"), [("county", "甲镇"), ("auditor", "海拉尔区")])
def test_directors_see_the_new_dashboards_and_the_ranked_evaluation(browser: Browser, live_server, scene, who,
                                                                     first):
    page = _login(browser, live_server.url, scene[who].username)
    page.goto(f"{live_server.url}/desk/")
    for chart in ("chart-flows", "chart-steps"):
        expect(page.locator(f"#{chart} canvas")).to_have_count(1)  # ECharts drew it
    steps = page.locator("#steps table")
    expect(steps).to_contain_text("已受理")
    expect(steps).to_contain_text("受理至作出决定（总时限）")
    expect(steps).to_contain_text("启动家庭经济状况调查")  # the profile's limit beside the measured time
    expect(page.locator("#complaints table")).to_contain_text("投诉")
    expect(page.locator("#flows table").first).to_contain_text("最低生活保障")
    _shot(page, f"desk-dashboards-{who}")
    page.get_by_role("link", name="绩效评价").click()
    table = page.locator("#evaluation")
    expect(table.locator("tbody tr").first).to_contain_text(first)
    expect(page.get_by_text("示意值").first).to_be_visible()
    _shot(page, f"evaluation-{who}")


def test_a_township_caseworker_gets_no_dashboards_nor_the_evaluation(browser: Browser, live_server, scene):
    page = _login(browser, live_server.url, "zhen")
    page.goto(f"{live_server.url}/desk/")
    expect(page.locator("#chart-flows")).to_have_count(0)
    expect(page.get_by_role("heading", name="局长工作台")).to_have_count(0)
    _shot(page, "desk-township")
    response = page.goto(f"{live_server.url}/desk/evaluation/")
    assert response.status == 404
