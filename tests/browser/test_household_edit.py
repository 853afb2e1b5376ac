"""In the browser: a township caseworker proposes a household's new bank account and registers a newborn, from the
household page, and sees the result; a wrong account number is refused with what was typed kept; the account is on
file once a second caseworker confirms it."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from playwright.sync_api import Page, expect

from doudi.accounts.models import User
from doudi.registry import account_changes
from doudi.registry.models import Household, Person
from tests import factories as f
from tests.browser.conftest import SHOTS
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(transactional_db):
    province = f.region("150000000000", "内蒙古自治区", "province")
    city = f.region("150700000000", "呼伦贝尔市", "city", province)
    county = f.region("150702000000", "海拉尔区", "county", city, "urban")
    town = f.region("150702001000", "奋斗镇", "township", county)
    village = f.region("150702001001", "团结村", "village", town)
    f.user("wang", (town, "township_caseworker"), display_name="王经办")
    f.user("liu", (town, "township_caseworker"), display_name="刘经办")
    h = f.household(village, members=2)
    Person.objects.filter(memberships__household=h, memberships__relationship="head").update(name="张建国")
    return h


def test_caseworker_corrects_account_and_adds_a_newborn(page: Page, live_server, scene):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 1000})
    log_in(page, base, "wang")
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    page.goto(f"{base}/registry/households/{scene.pk}/")
    page.get_by_test_id("household-edit").click()
    expect(page.get_by_role("heading", name="修改家庭信息 · 张建国 团结村")).to_be_visible()

    account = page.locator("#account")
    account.get_by_label("变更依据").fill("银行卡复印件")
    account.get_by_label("银行账号").fill("6228-48AB")
    account.get_by_label("账户户名").fill("张建国")
    account.get_by_role("button", name="提交账户变更（待复核）").click()
    expect(page.locator("#account").get_by_label("银行账号")).to_have_value("6228-48AB")  # input kept
    expect(page.locator("#account .error").first).to_be_visible()
    account = page.locator("#account")
    account.get_by_label("开户银行").fill("中国农业银行")
    account.get_by_label("银行账号").fill("6228480012345678")
    account.get_by_role("button", name="提交账户变更（待复核）").click()
    expect(page.get_by_text("账户变更已提交，须由另一名工作人员复核确认后生效")).to_be_visible()
    expect(page.get_by_test_id("pending-account")).to_contain_text("5678")
    expect(page.get_by_role("button", name="复核确认，启用新账户")).to_have_count(0)  # not for the proposer

    page.get_by_text("成员加入（出生、婚娶、迁入）").click()
    join = page.locator("#members form").first
    join.get_by_label("变更日期").fill(dt.date.today().isoformat())
    join.get_by_label("变更依据").fill("出生医学证明")
    join.get_by_label("姓名").fill("张小宝")
    join.get_by_label("身份证号码").fill(f.make_id(dt.date.today() - dt.timedelta(days=30), "M"))
    join.get_by_label("与户主关系").select_option(label="孙子女/外孙子女")
    join.get_by_role("button", name="登记加入").click()
    expect(page.get_by_text("张小宝 已加入本户")).to_be_visible()
    expect(page.locator("#members ul")).to_contain_text("张小宝")
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/household-edit.png", full_page=True)
    assert Household.objects.get(pk=scene.pk).bank_account == ""  # proposed, not yet on file
    change = scene.account_changes.get()
    account_changes.account_change_confirm(actor=User.objects.get(username="liu"), household=scene,
                                           change_id=change.pk)
    assert Household.objects.get(pk=scene.pk).bank_account == "6228480012345678"
