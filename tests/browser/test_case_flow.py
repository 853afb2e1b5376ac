"""Issue 4 end to end in a real browser: a 低保 application from the citizen's phone to the county's PDF notice, and
an emergency temporary-assistance case paid the same day from the township reserve fund. Real rules engine."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile

import pytest
from playwright.sync_api import Browser, Page, expect

from doudi.accounts.models import User
from doudi.benefits.models import Entitlement
from doudi.cases.models import Case, PublicNotice
from doudi.cases.workflow import StepData
from doudi.registry import services as registry
from doudi.temporary import services as fund_services
from doudi.temporary.models import FundMovement, ReserveFund
from tests import factories as f
from tests.browser.conftest import SHOTS
from tests.browser.helpers import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
START = dt.date(2025, 1, 1)


@pytest.fixture
def scene(transactional_db):
    province = f.region("150000000000", "内蒙古自治区", "province")
    city = f.region("150700000000", "呼伦贝尔市", "city", province)
    city.profile = "hulunbuir"
    city.save()
    county = f.region("150702000000", "海拉尔区", "county", city, "urban")
    town = f.region("150702001000", "甲镇", "township", county)
    village = f.region("150702001002", "甲社区", "village", town, "urban")
    wang = f.user("wang", (town, "township_caseworker"), display_name="王经办")
    f.user("zhao", (village, "village_assistant"), display_name="赵协理员")
    f.user("liu", (county, "civil_affairs"), display_name="刘科长")
    hh = registry.household_create(actor=wang, region=village, address="甲社区幸福路8号", phone="13800000000")
    head = registry.member_add(actor=wang, household=hh, id_number=f.make_id(dt.date(1975, 3, 1)), name="孙建国",
                               relationship="head", valid_from=START).person
    registry.member_add(actor=wang, household=hh, id_number=f.make_id(dt.date(2012, 6, 4), "F"), name="孙小雨",
                        relationship="child", valid_from=START)
    registry.evidence_add(actor=wang, person=head, evidence_type="income", kind="wage", monthly_fen=60_000,
                          valid_from=START)
    registry.evidence_add(actor=wang, person=head, evidence_type="employment", status="employed", valid_from=START)
    User.objects.create_user(username="sun", password="test-pass-123", person=head, display_name="孙建国")
    return {"hh": hh, "head": head, "town": town, "village": village, "wang": wang}


def shot(page: Page, name: str) -> None:
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/case-{name}.png", full_page=True)


def session(browser: Browser, base: str, username: str, viewport: dict) -> Page:
    context = browser.new_context(viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    log_in(page, base, username)
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    return page


def step(page: Page, to_state: str, **fields: str) -> None:
    """Press the button of one next step on the case page, after filling that step's own fields."""
    form = page.locator("#steps form").filter(has=page.locator(f"input[name=to_state][value={to_state}]"))
    form.evaluate("f => f.closest('details')?.setAttribute('open', '')")  # exceptional steps are folded away
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    form.get_by_role("button").click()


def ok(page: Page, text: str = "已办理") -> None:
    expect(page.locator(".msg.success")).to_contain_text(text)


def test_dibao_from_the_citizens_phone_to_the_pdf_notice(browser: Browser, live_server, scene):
    base = live_server.url

    # 1. The applicant applies on their phone and signs the commitment (告知承诺).
    citizen = session(browser, base, "sun", PHONE)
    citizen.get_by_role("link", name="我的申请").first.click()
    expect(citizen.get_by_role("heading", name="我的救助申请")).to_be_visible()
    citizen.get_by_label("最低生活保障（低保）").check()
    citizen.get_by_label("申请事由").fill("本人打零工收入低，女儿上学，生活困难。")
    citizen.get_by_label("申请人已阅读并签署告知承诺书").check()
    shot(citizen, "01-apply-phone")
    citizen.get_by_role("button", name="提交申请").click()
    expect(citizen.locator(".msg.success")).to_contain_text("申请已提交")
    expect(citizen.locator("#feedback")).to_contain_text("等待乡镇（街道）受理")
    case = Case.objects.get(household=scene["hh"])
    assert case.application.channel == "self_service" and case.application.commitment_signed

    # 2. The township asks once for everything missing (一次性告知).
    wang = session(browser, base, "wang", DESKTOP)
    wang.get_by_role("link", name="救助案件").first.click()
    wang.get_by_role("link", name=case.application.number).click()
    step(wang, "returned", missing_items="户口簿复印件")
    ok(wang)

    # 3. The village assistant helps on a phone: records the entrustment (代办) and the supplied item, resubmits.
    zhao = session(browser, base, "zhao", PHONE)
    zhao.goto(f"{base}/cases/{case.pk}/")
    expect(zhao.locator("#assist")).to_be_visible()
    zhao.get_by_label("委托代办记录").fill("孙建国委托甲社区协理员赵某代办，已签委托书")
    zhao.get_by_label("户口簿复印件").check()
    zhao.get_by_role("button", name="保存代办记录").click()
    ok(zhao, "代办记录已保存")
    step(zhao, "submitted", reason="已协助补齐户口簿复印件")
    ok(zhao)
    shot(zhao, "02-assistant-phone")

    # 4. The township accepts, records both members' authorisations and runs the verification (核对).
    wang.reload()
    step(wang, "accepted")
    ok(wang)
    wang.goto(f"{base}/registry/households/{scene['hh'].pk}/")
    expect(wang.locator("#case-panel")).to_contain_text("受理申请")
    shot(wang, "03-household-desktop")
    wang.locator("#case-panel").get_by_role("link", name="核对").click()
    for _ in range(2):
        wang.get_by_label("签署方式").select_option("e_signature")
        wang.get_by_label("电子签名流水号").fill("ES-2025-0001")
        wang.get_by_role("button", name="记录授权").click()
        expect(wang.locator(".msg.success")).to_contain_text("核对授权")

    # 5. Back on the case: entering 核对 files the request; the case's 核对 panel runs it and takes the report;
    # then the home visit by two investigators.
    wang.goto(f"{base}/cases/{case.pk}/")
    step(wang, "verifying")
    ok(wang)
    panel = wang.get_by_test_id("case-verification")
    panel.get_by_role("button", name="执行核对（查询部门数据）").click()
    expect(wang.locator(".msg.success")).to_contain_text("核对完成")
    shot(wang, "04-verification-desktop")
    wang.get_by_test_id("case-verification").get_by_role("button", name="采用核对报告，完成核对").click()
    ok(wang, "已根据核对报告完成核对")
    step(wang, "investigating")
    ok(wang)
    inv = wang.locator("#investigation")
    inv.get_by_label("赵协理员").check()  # the second investigator, an account; 王经办 (recording) is ticked
    inv.get_by_label("在场家庭成员已签字").check()
    inv.get_by_label("调查情况").fill("住房简陋，无大额资产，与申报一致。")
    inv.get_by_role("button", name="保存调查记录").click()
    ok(wang, "调查记录已保存")
    # The second investigator signs for themselves (S1 Art 16), on their own login.
    zhao.goto(f"{base}/cases/{case.pk}/")
    zhao.get_by_role("button", name="本人签字").click()
    ok(zhao, "已签字")
    wang.reload()
    step(wang, "township_reviewed", reason="初审同意")
    ok(wang)
    step(wang, "public_notice")
    ok(wang)
    expect(wang.locator("h1 .badge")).to_have_text("公示中")
    shot(wang, "05-notice-desktop")

    # 6. Seven days pass: the notice started ten days ago (set on the row, no sleeping).
    start = dt.date.today() - dt.timedelta(days=10)
    PublicNotice.objects.filter(case=case).update(starts_on=start, ends_on=start + dt.timedelta(days=6))

    # 7. The county approves (S1 Art 20) and downloads the confirmation notice.
    liu = session(browser, base, "liu", DESKTOP)
    liu.goto(f"{base}/cases/{case.pk}/")
    step(liu, "decided_approved", reason="经审核符合低保条件")
    ok(liu)
    expect(liu.locator("#decision")).to_contain_text("批准")
    shot(liu, "06-decided-desktop")
    ent = Entitlement.objects.get(household=scene["hh"])
    amount = f"{ent.monthly_fen // 100:,}"
    expect(liu.locator("#decision")).to_contain_text(amount)
    link = liu.get_by_role("link", name="下载确认通知书（PDF）")
    response = liu.request.get(base + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(body)
        pdf.flush()
        text = subprocess.run(["pdftotext", "-layout", pdf.name, "-"], capture_output=True, check=True,
                              text=True).stdout
    assert "孙建国" in text and amount in text.replace(" ", "")

    # 8. The applicant sees the decision and the feedback history on the phone.
    citizen.reload()
    expect(citizen.locator("section.card").first).to_contain_text("已批准")
    feedback = citizen.locator("#feedback")
    expect(feedback).to_contain_text(f"每月{amount}")
    expect(feedback).to_contain_text("请一次性补齐以下材料：户口簿复印件")  # earlier lines are kept
    shot(citizen, "07-status-phone")

    # The household page shows the new entitlement (在保待遇) with its adjustment link for the township.
    wang.goto(f"{base}/registry/households/{scene['hh'].pk}/")
    expect(wang.locator("#case-panel")).to_contain_text(amount)
    expect(wang.locator("#case-panel").get_by_role("link", name="调整")).to_be_visible()


def test_emergency_aid_is_paid_the_same_day_from_the_reserve_fund(browser: Browser, live_server, scene):
    base = live_server.url
    fund = fund_services.fund_open(actor=scene["wang"], region=scene["town"])
    f.top_up_confirmed(scene["wang"], fund, 6_000_000, "区级拨付")

    wang = session(browser, base, "wang", PHONE)
    wang.goto(f"{base}/registry/households/{scene['hh'].pk}/")
    wang.locator("#case-panel").get_by_role("link", name="受理申请").click()
    wang.get_by_label("临时救助").check()
    wang.get_by_label("类型").select_option("emergency")
    wang.get_by_label("原因").select_option("fire")
    wang.get_by_label("申请金额（元）").fill("2500")
    wang.get_by_label("申请事由").fill("昨夜住房失火，衣物被褥烧毁。")
    wang.get_by_label("申请人已阅读并签署告知承诺书").check()
    shot(wang, "11-emergency-apply-phone")
    wang.get_by_role("button", name="提交").click()
    expect(wang.locator(".msg.success")).to_contain_text("已登记")
    expect(wang.locator("h1")).to_contain_text("临时救助")

    # 先行救助 within the profile's township limit (national: 2 700 yuan, illustrative), the same day.
    step(wang, "advance_paid", reason="火灾急难，先行救助")
    ok(wang)
    expect(wang.locator("#temporary")).to_contain_text("备用金")
    shot(wang, "12-advance-paid-phone")
    case = Case.objects.get(household=scene["hh"], program="temporary")
    assert case.state == "advance_paid"
    movement = FundMovement.objects.get(case=case)
    assert movement.amount_fen == 250_000 and movement.balance_after_fen == 5_750_000

    wang.get_by_role("link", name="救助案件").first.click()
    wang.goto(f"{base}/temporary/reserve-fund/")
    expect(wang.get_by_test_id("fund-balance")).to_have_text("57,500.00")
    expect(wang.locator(f"#fund-{fund.pk}")).to_contain_text(f"先行救助 {case.application.number}")
    shot(wang, "13-fund-phone")
    expect(wang.locator("#advances")).to_contain_text("待他人复核")  # the payer cannot confirm their own advance

    # A second caseworker confirms the advance (maker-checker) within the profile's days.
    other = session(browser, base, f.partner(scene["wang"]).username, PHONE)
    other.goto(f"{base}/temporary/reserve-fund/")
    other.locator("#advances").get_by_role("button", name="复核确认").click()
    expect(other.locator(".msg.success")).to_contain_text("复核确认")
    shot(other, "13b-advance-confirmed-phone")

    # Paperwork completed afterwards: the caseworkers' signatures (补齐经办人员签字).
    wang.goto(f"{base}/cases/{case.pk}/")
    step(wang, "closed", signed_by="王经办\n甲镇分管领导")
    ok(wang)
    expect(wang.locator("h1 .badge")).to_have_text("已办结")
    case.refresh_from_db()
    assert case.temporary.paperwork_completed_on == dt.date.today()
    assert ReserveFund.objects.get(pk=fund.pk).balance_fen == 5_750_000


def test_applicant_uploads_and_signs_on_the_phone(browser: Browser, live_server, scene, settings, tmp_path):
    """指尖办: apply, upload a photo of the household register for the one-time notice, e-sign the authorisation for
    oneself and as guardian for the daughter (under 18); the township's case page shows the upload."""
    from doudi.cases import services
    from doudi.verification.selectors import authorisations_complete

    settings.MEDIA_ROOT = tmp_path / "media"
    base = live_server.url
    citizen = session(browser, base, "sun", PHONE)
    citizen.goto(f"{base}/selfservice/")
    citizen.get_by_label("最低生活保障（低保）").check()
    citizen.get_by_label("申请人已阅读并签署告知承诺书").check()
    citizen.get_by_role("button", name="提交申请").click()
    expect(citizen.locator(".msg.success")).to_contain_text("申请已提交")
    case = Case.objects.get(household=scene["hh"])
    services.case_transition(actor=scene["wang"], case=case, to_state="returned",
                             data=StepData(missing_items=["户口簿复印件"]))

    citizen.reload()
    expect(citizen.locator(f"#case-{case.pk} .status-line")).to_have_text("需要补正材料，补齐后由乡镇（街道）重新受理")
    upload = citizen.locator(f"#app-{case.application_id} form")
    upload.get_by_label("材料类型").select_option("hukou_book")
    upload.get_by_label("这是一次性告知中的哪项材料").select_option("户口簿复印件")
    upload.get_by_label("文件（PDF、JPG、PNG、HEIC，不超过 10 MB）").set_input_files(
        {"name": "户口簿.jpg", "mimeType": "image/jpeg", "buffer": b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 512})
    upload.get_by_role("button", name="上传").click()
    expect(citizen.locator(".msg.success")).to_contain_text("已上传：户口簿.jpg")
    expect(citizen.locator("#feedback")).to_contain_text("已上传补正材料：户口簿复印件")

    status = citizen.locator(f"#case-{case.pk} .status-line")
    expect(status).to_have_text("补正材料已提交，等待乡镇（街道）确认后重新受理")
    os.makedirs(SHOTS, exist_ok=True)
    citizen.locator("#authorisation").scroll_into_view_if_needed()
    citizen.screenshot(path=f"{SHOTS}/self-service-phone-sign.png")
    for name in ("孙建国", "孙小雨"):
        signer = citizen.locator("li.signer").filter(has_text=name)
        signer.locator("input[name=confirm_name]").fill("孙建国")
        signer.get_by_role("button", name="签署授权").click()
        expect(citizen.locator(".msg.success")).to_contain_text(f"已签署 {name} 的家庭经济状况核对授权")
    expect(citizen.locator("#authorisation .badge.warn")).to_have_count(0)
    assert authorisations_complete(household=scene["hh"], as_of=dt.date.today(), include_supporters=False)[0]
    citizen.screenshot(path=f"{SHOTS}/self-service-phone.png", full_page=True)

    wang = session(browser, base, "wang", DESKTOP)
    wang.goto(f"{base}/cases/{case.pk}/")
    expect(wang.locator("#attachments")).to_contain_text("户口簿 · 户口簿.jpg")
    response = wang.request.get(base + wang.locator("#attachments a").first.get_attribute("href"))
    assert response.ok and response.body().startswith(b"\xff\xd8\xff")
