"""The sunny system in a real browser: the director's dashboards for county, city auditor and township, a call
registered and answered on the screens, and a public page without login."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Browser, Page, expect

from doudi.statistics.services import statistics_refresh
from tests import factories as f
from tests.browser.conftest import SHOTS
from tests.browser.helpers import log_in
from tests.reviews.conftest import entitlement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def scene(transactional_db):
    province = f.region("150000000000", "内蒙古自治区", "province")
    city = f.region("150700000000", "呼伦贝尔市", "city", province)
    county = f.region("150702000000", "海拉尔区", "county", city, "urban")
    towns = [f.region("150702001000", "甲镇", "township", county), f.region("150702002000", "乙镇", "township", county)]
    villages = [f.region(f"{t.code[:9]}001", f"{t.name}一村", "village", t) for t in towns]
    for i, v in enumerate(villages):
        for _ in range(2 + i):
            entitlement(f.household(v, members=2))
    statistics_refresh()
    return {"county": f.user("xian", (county, "civil_affairs"), display_name="区民政局"),
            "auditor": f.user("shenji", (city, "auditor"), display_name="市审计局"),
            "township": f.user("zhen", (towns[0], "township_caseworker"), display_name="甲镇经办员"),
            "village": villages[0]}


def _login(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    log_in(page, base, username)
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    return page


def _shot(page: Page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize(("who", "area"), [("county", "甲镇"), ("auditor", "海拉尔区")])
def test_directors_see_the_dashboards_drawn(browser: Browser, live_server, scene, who, area):
    page = _login(browser, live_server.url, scene[who].username)
    page.get_by_role("link", name="待办与统计").first.click()
    expect(page.get_by_role("heading", name="局长工作台")).to_be_visible()
    for chart in ("chart-programs", "chart-areas", "chart-monthly", "chart-tickets"):
        expect(page.locator(f"#{chart} canvas")).to_have_count(1)  # ECharts drew it (no CSP or script error)
    # the first table holds the areas: a county's rows are townships, a city's counties
    expect(page.locator("table").first).to_contain_text(area)
    _shot(page, f"desk-{who}")


def test_a_township_gets_its_queue_and_answers_a_call(browser: Browser, live_server, scene):
    page = _login(browser, live_server.url, "zhen")
    page.get_by_role("link", name="热线工单").first.click()
    page.get_by_role("link", name="登记来电").click()
    page.get_by_label("类型").select_option("help")
    page.get_by_label("承办区划").select_option(label="甲镇")
    page.get_by_label("诉求内容").fill("家中老人瘫痪，生活困难")
    page.get_by_label("来电（信、访）人").fill("王小明")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_role("button", name="登记").click()
    expect(page.locator(".messages")).to_contain_text("已登记")
    page.get_by_role("button", name="查看完整信息").click()
    expect(page.locator("#caller")).to_contain_text("13812345678")
    page.get_by_role("button", name="受理（本人承办）").click()
    page.get_by_label("办结答复（一门反馈：给来电人的唯一答复）").fill("已安排入户，协助申请低保")
    page.get_by_role("button", name="办结并答复").click()
    expect(page.locator("dl.facts")).to_contain_text("已办结答复")
    _shot(page, "hotline-ticket")
    page.goto(f"{live_server.url}/desk/")
    expect(page.get_by_role("heading", name="局长工作台")).to_have_count(0)


def test_the_public_page_without_login(browser: Browser, live_server, scene):
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/open/{scene['village'].code}/")
    expect(page.get_by_role("heading", name="在保对象名单（长期公布）")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("13812345678")
    _shot(page, "open-village")
