"""In the browser: a township caseworker switches the language to English in the footer and gets English screens —
no Chinese left in the navigation, headings and buttons in English — across the main pages; switching back
restores Chinese. Data (names, places) stays as entered."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import Page, expect

from doudi.registry.models import Person
from tests import factories as f
from tests.browser.conftest import SHOTS
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CJK = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def scene(transactional_db):
    province = f.region("150000000000", "内蒙古自治区", "province")
    city = f.region("150700000000", "呼伦贝尔市", "city", province)
    county = f.region("150702000000", "海拉尔区", "county", city, "urban")
    town = f.region("150702001000", "奋斗镇", "township", county)
    village = f.region("150702001001", "团结村", "village", town)
    f.user("wang", (town, "township_caseworker"), display_name="王经办")
    h = f.household(village, members=2)
    Person.objects.filter(memberships__household=h, memberships__relationship="head").update(name="张建国")
    return h


def test_switching_to_english_leaves_no_chinese_in_the_navigation(page: Page, live_server, scene):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "wang")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    os.makedirs(SHOTS, exist_ok=True)
    pages = {"home": "/", "households": "/registry/", "household": f"/registry/households/{scene.pk}/",
             "edit": f"/registry/households/{scene.pk}/edit/", "cases": "/cases/", "payments": "/payments/",
             "account-changes": "/registry/account-changes/"}
    for name, path in pages.items():
        page.goto(base + path)
        expect(page.locator("html")).to_have_attribute("lang", "en")
        nav = page.locator("header.topbar nav").inner_text()
        assert nav.strip() and not CJK.search(nav), (name, nav)
        assert "Log out" in page.locator("header.topbar").inner_text()
        heading = page.locator("main h1").first.inner_text()
        # headings carry data (a household's head and village) only after the English label
        assert re.match(r"^[A-Za-z]", heading), (name, heading)
        page.screenshot(path=f"{SHOTS}/english-{name}.png", full_page=True)
    page.goto(f"{base}/registry/households/{scene.pk}/edit/")
    expect(page.locator("#account").get_by_role("button", name="Submit the account change (for checking)")) \
        .to_be_visible()
    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    assert "退出" in page.locator("header.topbar").inner_text()
