"""探访关爱 on a phone: the village assistant opens the visiting list, records a visit with a photo and a medical
need, and the need becomes a referral to the medical-security department."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from playwright.sync_api import Browser, expect

from doudi.care.models import CareVisit, VisitTarget
from doudi.referrals.models import Referral
from tests import factories as f
from tests.browser.conftest import SHOTS
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


@pytest.fixture
def scene(transactional_db):
    province = f.region("150000000000", "内蒙古自治区", "province")
    city = f.region("150700000000", "呼伦贝尔市", "city", province)
    county = f.region("150702000000", "海拉尔区", "county", city, "urban")
    town = f.region("150702001000", "甲镇", "township", county)
    village = f.region("150702001001", "甲村", "village", town)
    f.user("cun", (village, "village_assistant"), display_name="甲村协理员")
    household = f.household(village)
    person = household.memberships.get().person
    target = VisitTarget.objects.create(person=person, household=household, region=village, group="elderly_alone",
                                        since=dt.date(2025, 1, 1))
    return {"target": target, "person": person}


def test_a_visit_on_a_phone_creates_a_referral(browser: Browser, live_server, scene, tmp_path):
    page = browser.new_context(viewport=PHONE, locale="zh-CN").new_page()
    log_in(page, live_server.url, "cun")
    page.get_by_role("link", name="探访关爱").first.click()
    card = page.locator("a.visit-due", has_text=scene["person"].name)
    expect(card).to_contain_text("已逾期")
    card.click()
    page.get_by_label("探访情况（健康、赡养、居家安全等）").fill("独居，腿部旧伤加重，行动不便，需要就医")
    page.get_by_label("发现的需求").select_option("medical")
    page.get_by_label("需求说明").fill("腿伤需住院治疗，自付困难")
    photo = tmp_path / "photo.png"
    photo.write_bytes(PNG)
    page.get_by_label("现场照片").set_input_files(str(photo))
    # The form fits the phone: no horizontal scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/care-visit-phone.png", full_page=True)
    page.get_by_role("button", name="保存探访记录").click()
    expect(page.locator(".messages")).to_contain_text("发现的需求已转出")
    visit = CareVisit.objects.get()
    referral = Referral.objects.get()
    assert visit.outcome_ref == f"referrals.referral:{referral.pk}" and visit.photo
    assert (referral.need_type, referral.department, referral.household_id) == (
        "medical", "medical_security", scene["target"].household_id)
    assert "腿伤需住院治疗" in referral.need_detail
    expect(page.locator("a.visit-due", has_text=scene["person"].name)).not_to_contain_text("已逾期")
