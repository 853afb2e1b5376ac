"""Issue 8 screens in the real browser: intake warns that a member already receives 特困 in another county (the fact
only) and shows the temporary-assistance band as the request changes (HTMX); the medical claims screen."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from playwright.sync_api import Page, expect

from doudi.benefits.models import Entitlement
from doudi.registry.models import Membership
from tests import factories as f
from tests.browser.conftest import SHOTS
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def scene(transactional_db):
    province = f.region("150000000000", "内蒙古自治区", "province")
    city = f.region("150700000000", "呼伦贝尔市", "city", province)
    city.profile = "hulunbuir"
    city.save()
    county = f.region("150702000000", "海拉尔区", "county", city, "urban")
    town = f.region("150702001000", "甲镇", "township", county)
    village = f.region("150702001001", "甲村", "village", town)
    elsewhere = f.region("150721000000", "阿荣旗", "county", city)
    there = f.region("150721001001", "某村", "village", f.region("150721001000", "那吉镇", "township", elsewhere))
    f.user("wang", (town, "township_caseworker"), display_name="王经办")
    hh = f.household(village, members=2)
    person = hh.memberships.order_by("id").first().person
    other = f.household(there, members=1)
    Membership.objects.create(household=other, person=person, relationship="head", valid_from=dt.date(2020, 1, 1))
    Entitlement.objects.create(household=other, person=person, program="tekun", monthly_fen=123_400,
                               start_month=dt.date(2025, 1, 1))
    return {"hh": hh, "person": person}


def shot(page: Page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_intake_warns_and_shows_the_band(page: Page, live_server, scene):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "wang")
    page.goto(f"{base}/cases/apply/{scene['hh'].pk}/")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text(f"{scene['person'].name}已在其他县（市、区）享受特困人员救助供养")
    expect(alert).not_to_contain_text("阿荣旗")
    page.locator("input[name=programs][value=temporary]").check()
    band = page.locator("#temp-band")
    page.locator("select[name=temp_type]").select_option("expenditure")
    expect(band).to_contain_text("当地救助档次")
    page.locator("input[name=temp_amount]").fill("900000")
    page.locator("select[name=temp_severity]").select_option("major")
    expect(band).to_contain_text("一事一议")
    shot(page, "intake-overlap-and-band")
    page.goto(f"{base}/medical/")
    expect(page.get_by_role("heading", name="医疗救助结算")).to_be_visible()
    shot(page, "medical-claims")
