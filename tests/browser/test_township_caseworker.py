"""A township caseworker logs in, finds a household by a member's name, opens it, and never sees the
neighbouring township's households — not in the list, not when searching their exact names."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from playwright.sync_api import Page, expect

from doudi.registry.models import Income, Membership, Person
from tests import factories as f
from tests.browser.conftest import SHOTS
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def scene(transactional_db):
    province = f.region("150000000000", "内蒙古自治区", "province")
    city = f.region("150700000000", "呼伦贝尔市", "city", province)
    county = f.region("150702000000", "海拉尔区", "county", city, "urban")
    town_a = f.region("150702001000", "甲镇", "township", county)
    town_b = f.region("150702002000", "乙镇", "township", county)
    village_a = f.region("150702001001", "甲村", "village", town_a)
    village_b = f.region("150702002001", "乙村", "village", town_b)
    caseworker = f.user("wang", (town_a, "township_caseworker"), display_name="王经办")
    f.user("li", (town_b, "township_caseworker"), display_name="李经办")
    own = [f.household(village_a, members=3) for _ in range(3)]
    other = f.household(village_b, members=2)
    target = own[1]
    Person.objects.filter(memberships__household=target, memberships__relationship="child").update(name="赵小梅")
    Person.objects.filter(memberships__household=other, memberships__relationship="head").update(name="钱乙户")
    head = Membership.objects.get(household=target, relationship="head").person
    Income.objects.create(person=head, kind="wage", monthly_fen=186050, valid_from=dt.date(2023, 1, 1))
    return {"caseworker": caseworker, "own": own, "other": other, "target": target}


def shot(page: Page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def login(page: Page, base: str) -> None:
    log_in(page, base, "wang")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()


def test_township_caseworker_finds_a_household_and_sees_only_their_township(page: Page, live_server, scene):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/login/")
    shot(page, "login-desktop")
    login(page, base)
    shot(page, "home-desktop")

    page.get_by_role("link", name="家庭台账").first.click()
    results = page.locator("#results")
    for h in scene["own"]:
        expect(results).to_contain_text(h.number)
    expect(results).not_to_contain_text(scene["other"].number)
    shot(page, "list-desktop")

    # Live search (HTMX, no submit) by a member who is not the head.
    box = page.get_by_label("姓名、身份证号、户编号或住址")
    box.press_sequentially("赵小梅", delay=40)
    expect(results).to_contain_text("共 1 户")
    expect(results).to_contain_text(scene["target"].number)

    # The colleague's household stays invisible even by its exact member name.
    box.fill("钱乙户")
    expect(results).to_contain_text("共 0 户")
    expect(results).not_to_contain_text(scene["other"].number)

    # By a full resident ID: found, and the ID is in no URL (the search is posted; the address bar holds a token).
    head_id = Membership.objects.get(household=scene["target"], relationship="head").person.id_number
    box.fill(head_id)
    expect(results).to_contain_text(scene["target"].number)
    expect(results).to_contain_text("共 1 户")
    expect(page).to_have_url(re.compile(r"/registry/\?s="))
    assert head_id not in page.url
    shot(page, "search-by-id-desktop")

    box.fill("赵小梅")
    expect(results).to_contain_text("共 1 户")
    results.get_by_role("link", name=scene["target"].number).click()
    expect(page.get_by_role("heading", name=f"家庭 {scene['target'].number}")).to_be_visible()
    expect(page.locator(".members")).to_contain_text("赵小梅")
    expect(page.locator(".members")).to_contain_text("1,860.50 元")
    shot(page, "detail-desktop")

    # Add an income through the HTMX form: a date before 1900 is refused in Chinese, a good one appears in place.
    form = page.locator("#evidence-add")
    form.get_by_label("收入类别").select_option("transfer")
    form.get_by_label("月均金额（元）").fill("300.00")
    form.get_by_label("起始日期").fill("1899-12-31")
    form.get_by_role("button", name="保存").click()
    expect(page.locator("#evidence-add [role=alert]")).to_contain_text("超出允许范围")
    page.locator("#evidence-add").get_by_label("起始日期").fill("2024-01-01")
    page.locator("#evidence-add").get_by_role("button", name="保存").click()
    expect(page.locator("#household-body")).to_contain_text("已为测试0添加收入")
    expect(page.locator(".members")).to_contain_text("300.00 元")
    assert Income.objects.filter(monthly_fen=30000).count() == 1
    shot(page, "detail-after-add-desktop")

    page.set_viewport_size(PHONE)
    shot(page, "detail-phone")
    page.goto(f"{base}/registry/")
    expect(page.locator("#results")).not_to_contain_text(scene["other"].number)
    shot(page, "list-phone")
    page.goto(f"{base}/")
    shot(page, "home-phone")


def test_login_page_on_a_phone(page: Page, live_server, scene):
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "wang", password="wrong")
    expect(page.get_by_text("用户名或密码不正确")).to_be_visible()
    shot(page, "login-phone")
