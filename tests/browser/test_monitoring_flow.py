"""一上一下 end to end in a real browser: the county pushes a warning down, the village assistant visits on a phone
and signs, the township confirms the response, and the county sees it rolled up."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from doudi.monitoring.feeds.loader import feed_load
from doudi.monitoring.job.run import monitoring_run
from doudi.monitoring.models import Alert
from doudi.monitoring.services import lowincome_refresh
from doudi.registry.models import Membership
from doudi.reviews.models import ReviewTask
from tests import factories as f
from tests.browser.conftest import SHOTS
from tests.browser.helpers import log_in
from tests.monitoring.conftest import dibao, with_income

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def scene(transactional_db):
    province = f.region("150000000000", "内蒙古自治区", "province")
    city = f.region("150700000000", "呼伦贝尔市", "city", province)
    county = f.region("150702000000", "海拉尔区", "county", city, "urban")
    town = f.region("150702001000", "甲镇", "township", county)
    village = f.region("150702001001", "甲村", "village", town)
    users = {"county": f.user("xian", (county, "civil_affairs"), display_name="区民政局"),
             "township": f.user("zhen", (town, "township_caseworker"), display_name="甲镇经办员"),
             "village": f.user("cun", (village, "village_assistant"), display_name="甲村协理员")}
    police = f.user("police", (county, "department"), department="public_security")
    household = with_income(f.household(village, members=2), 200)
    dibao(household, start=dt.date(2024, 1, 1))
    died = Membership.objects.filter(household=household).order_by("id")[1].person
    today = timezone.localdate()
    feed_load(actor=police, feed="death", region=county, period=today, filename="deaths.csv",
              data=f"身份证号码,姓名,死亡日期\n{died.id_number},{died.name},{today - dt.timedelta(days=15)}\n".encode())
    lowincome_refresh(actor=users["county"], region_code=county.code, as_of=today)
    monitoring_run(actor=users["county"], region_code=county.code, as_of=today)
    return {"users": users, "household": household, "alert": Alert.objects.get(rule_code="death_still_paid")}


def _login(browser: Browser, base: str, username: str, viewport: dict) -> Page:
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    log_in(page, base, username)
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    return page


def _shot(page: Page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_a_warning_is_pushed_visited_answered_and_rolled_up(browser: Browser, live_server, scene):
    base, alert = live_server.url, scene["alert"]
    county = _login(browser, base, "xian", DESKTOP)
    county.get_by_role("link", name="动态监测").first.click()
    county.get_by_role("link", name="待下发").click()
    # Lists name the household by its head (户主姓名), not by the 18-digit number.
    head = alert.household.memberships.get(relationship="head").person
    row = county.locator("tr", has_text=head.name)
    row.get_by_role("checkbox").check()
    county.get_by_role("button", name="下发所选到村（社区）").click()
    expect(county.locator(".messages")).to_contain_text("已下发 1 条预警")
    _shot(county, "monitoring-pushed")

    village = _login(browser, base, "cun", PHONE)
    village.get_by_role("link", name="走访核实").first.click()
    village.get_by_role("link", name="救助对象已死亡仍在享受待遇（死亡保）").click()
    village.get_by_label("核实情况").fill("入户核实：该成员已于半月前去世，家属同意停发其份额")
    expect(village.get_by_label("处置建议")).to_have_value("stop")  # the rule's suggestion, preselected
    pad = village.locator("#signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    village.mouse.move(box["x"] + 20, box["y"] + 40)
    village.mouse.down()
    for i in range(1, 12):
        village.mouse.move(box["x"] + 20 + i * 20, box["y"] + 40 + (15 if i % 2 else -15))
    village.mouse.up()
    _shot(village, "monitoring-village-visit-phone")
    village.get_by_role("button", name="提交核实情况").click()
    expect(village.locator(".messages")).to_contain_text("已提交核实情况")
    alert.refresh_from_db()
    assert alert.status == "visited" and alert.visits.get().signature.size > 500  # a drawn PNG, not an empty one

    township = _login(browser, base, "zhen", DESKTOP)
    township.goto(f"{base}/monitoring/alerts/?status=visited")
    township.get_by_role("link", name="救助对象已死亡仍在享受待遇（死亡保）").click()
    township.get_by_label("确认意见").fill("同意停发核查，转动态管理复核")
    township.get_by_role("button", name="确认处置建议并办理").click()
    expect(township.locator(".messages")).to_contain_text("已确认处置")
    expect(township.locator("dl.facts")).to_contain_text("停发核查")
    assert ReviewTask.objects.get().key == f"alert:{alert.pk}"

    county.goto(f"{base}/monitoring/rollup/")
    town_row = county.locator("tr", has_text="甲镇")
    expect(town_row.locator("td").nth(5)).to_have_text("1")  # 已处置
    expect(town_row.locator("td").nth(7)).to_have_text("100%")  # 按期办结率
    _shot(county, "monitoring-rollup")
    county.goto(f"{base}/monitoring/households/{alert.household_id}/")
    expect(county.locator(".timeline-list")).to_contain_text("乡镇确认处置：停发核查")
