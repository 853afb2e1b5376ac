"""In the browser: a county caseworker creates a township payroll by choosing the township in the cascading
picker (no typed 12-digit code), and the picker offers nothing outside the county."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import Page, expect

from tests import factories as f
from tests.browser.conftest import SHOTS
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(transactional_db):
    province = f.region("150000000000", "内蒙古自治区", "province")
    city = f.region("150700000000", "呼伦贝尔市", "city", province)
    county = f.region("150702000000", "海拉尔区", "county", city, "urban")
    other = f.region("150703000000", "扎赉诺尔区", "county", city)
    f.region("150703001000", "丙镇", "township", other)
    town_a = f.region("150702001000", "奋斗镇", "township", county)
    f.region("150702002000", "正阳街道", "township", county, "urban")
    f.region("150702001001", "团结村", "village", town_a)
    f.user("county", (county, "civil_affairs"), display_name="海拉尔区民政局")
    return {"town_a": town_a}


def test_county_user_picks_a_township_for_a_payroll(page: Page, live_server, scene):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "county")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    page.goto(f"{base}/payments/")
    picker = page.get_by_test_id("region-picker-region")
    expect(picker).to_contain_text("海拉尔区")
    towns = picker.get_by_label("乡镇（街道）")
    expect(towns.locator("option")).to_have_text(["全部乡镇（街道）", "奋斗镇", "正阳街道"])
    towns.select_option(label="奋斗镇")
    # HTMX re-renders the picker; township is the deepest level for a payroll, so no village select appears.
    expect(page.get_by_test_id("region-picker-region").get_by_label("乡镇（街道）")).to_have_value(
        scene["town_a"].code)
    expect(page.get_by_test_id("region-picker-region").get_by_label("村（社区）")).to_have_count(0)
    assert "丙镇" not in page.content()
    page.locator("input[name=month]").fill("2026-01")
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/region-picker-payroll.png", full_page=True)
    page.get_by_role("button", name="新建名册").click()
    expect(page.get_by_role("heading", name="奋斗镇 · 2026年01月 · 最低生活保障")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/region-picker-payroll-created.png", full_page=True)
