"""Issue 12 remainders in a real browser: intake offers the special-group programs; the social-forces page lists a
donation waiting for a second person and refuses the recorder's own confirmation in Chinese."""

from __future__ import annotations

import os

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from doudi.socialforces.services.donations import donation_receive
from tests import factories as f
from tests.browser.conftest import SHOTS
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(transactional_db):
    province = f.region("150000000000", "内蒙古自治区", "province")
    city = f.region("150700000000", "呼伦贝尔市", "city", province)
    county = f.region("150702000000", "海拉尔区", "county", city, "urban")
    town = f.region("150702001000", "甲镇", "township", county)
    village = f.region("150702001001", "甲村", "village", town)
    f.user("zhen", (town, "township_caseworker"), display_name="甲镇经办员")
    recorder = f.user("xian", (county, "civil_affairs"), display_name="区民政局")
    f.user("xian_b", (county, "civil_affairs"), display_name="区民政局复核人")
    donation_receive(actor=recorder, region=county, donor="爱心企业", received_on=timezone.localdate(),
                     amount_fen=500_000)
    return {"household": f.household(village)}


def test_intake_and_two_person_donation(browser: Browser, live_server, scene):
    os.makedirs(SHOTS, exist_ok=True)
    page = browser.new_context(locale="zh-CN").new_page()
    log_in(page, live_server.url, "zhen")
    page.goto(f"{live_server.url}/cases/apply/{scene['household'].pk}/")
    for label in ("孤儿、事实无人抚养儿童基本生活费", "困难残疾人生活补贴", "重度残疾人护理补贴"):
        expect(page.get_by_label(label)).to_be_visible()
    page.screenshot(path=f"{SHOTS}/special-intake.png", full_page=True)
    page.context.clear_cookies()
    log_in(page, live_server.url, "xian")
    page.goto(f"{live_server.url}/socialforces/")
    expect(page.locator("body")).to_contain_text("待确认到账")
    page.get_by_role("button", name="确认到账").click()
    expect(page.locator(".messages")).to_contain_text("录入人不能确认自己录入的捐赠")
    page.screenshot(path=f"{SHOTS}/socialforces-two-people.png", full_page=True)
    page.context.clear_cookies()
    log_in(page, live_server.url, "xian_b")
    page.goto(f"{live_server.url}/socialforces/")
    page.get_by_role("button", name="确认到账").click()
    expect(page.locator(".messages")).to_contain_text("已保存")
    expect(page.get_by_role("button", name="登记使用")).to_be_visible()
