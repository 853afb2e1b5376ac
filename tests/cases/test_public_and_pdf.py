from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.test import Client

from doudi.cases import services
from doudi.cases.choices import State
from doudi.cases.pdf import decision_pdf
from doudi.cases.workflow import StepData
from doudi.registry.models import Disability, Illness
from tests.cases.conftest import apply, to_notice

pytestmark = pytest.mark.django_db
T = services.case_transition
ID18 = re.compile(r"\d{17}[\dXx]")
MASKED = re.compile(r"\d{6}\*{8}\d{3}[\dXx]|\d{6}\*{11}")
BIRTH = re.compile(r"(19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")
FORBIDDEN_WORDS = ["残疾", "疾病", "诊断", "病", "住址", "测试路", "银行", "账号", "身份证"]


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "n.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


@pytest.fixture
def noticed(people, hh, engine):
    member = hh.memberships.first().person
    Illness.objects.create(person=member, valid_from=dt.date(2024, 1, 1), diagnosis="尿毒症", serious=True)
    Disability.objects.create(person=member, valid_from=dt.date(2024, 1, 1), type="physical", grade=2)
    return to_notice(people.owner, apply(people.owner, hh).cases.get())


def test_public_notice_page_shows_only_whitelisted_fields(client, tree, hh, noticed):
    head = hh.memberships.order_by("id").first().person
    for code in (tree.village_a.code, tree.town_a.code):
        html = client.get(f"/cases/public/{code}/").content.decode()
        assert head.name in html and "620.00" in html and "最低生活保障" in html and "甲村" in html
        assert not ID18.search(html) and not MASKED.search(html) and not BIRTH.search(html)
        for word in ["尿毒症", "肢体", "测试路", "残疾", "银行"]:
            assert word not in html
    # another township's board does not list it; an unknown code is a plain 404
    assert head.name not in client.get(f"/cases/public/{tree.town_b.code}/").content.decode()
    assert client.get("/cases/public/999999999999/").status_code == 404


def test_public_notice_api_needs_no_login_and_leaks_nothing(client, tree, hh, noticed):
    r = client.get(f"/api/cases/public/{tree.village_a.code}")
    assert r.status_code == 200
    body = r.content.decode()
    assert set(r.json()["items"][0]) == {"display_name", "household_size", "amount_fen", "category", "village",
                                         "starts_on", "ends_on"}
    assert not ID18.search(body) and "测试路" not in body and "尿毒症" not in body


def test_notice_leaves_the_board_after_seven_days(tree, noticed):
    from doudi.cases.selectors import public_notices

    start = noticed.notices.get().starts_on
    assert public_notices(region=tree.village_a, today=start + dt.timedelta(days=6)).count() == 1
    assert public_notices(region=tree.village_a, today=start + dt.timedelta(days=7)).count() == 0


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_approval_pdf_has_name_amount_start_month_rights_and_no_id(tmp_path, people, hh, noticed):
    case = T(actor=people.county, case=noticed, to_state=State.DECIDED_APPROVED,
             today=noticed.notices.get().ends_on + dt.timedelta(days=1))
    text = _pdf_text(decision_pdf(case), tmp_path)
    flat = re.sub(r"\s+", "", text)
    head = hh.memberships.order_by("id").first().person
    assert head.name in flat and "620.00元" in flat and "确认通知书" in flat
    assert f"{case.decision.start_month:%Y}年{case.decision.start_month.month}月" in flat
    assert "行政复议" in flat and "行政诉讼" in flat
    assert not ID18.search(text) and not MASKED.search(text) and "尿毒症" not in flat and "测试路" not in flat
    for member in hh.memberships.all():
        assert member.person.id_number not in flat


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_rejection_pdf_has_reasons(tmp_path, people, noticed):
    case = T(actor=people.county, case=noticed, to_state=State.DECIDED_REJECTED,
             data=StepData(reasons=["家庭人均收入高于当地低保标准"]))
    flat = re.sub(r"\s+", "", _pdf_text(decision_pdf(case), tmp_path))
    assert "不予批准通知书" in flat and "家庭人均收入高于当地低保标准" in flat and "行政诉讼" in flat


def test_pdf_download_is_scoped(people, noticed):
    case = T(actor=people.county, case=noticed, to_state=State.DECIDED_REJECTED, data=StepData(reasons=["收入超标"]))
    c = Client()
    c.force_login(people.colleague)
    assert c.get(f"/cases/{case.pk}/decision.pdf").status_code == 404
    c.force_login(people.owner)
    r = c.get(f"/cases/{case.pk}/decision.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")


def test_public_notice_names_the_issuing_unit_and_complaint_phone_from_region_data(client, tree, hh, noticed):
    tree.town_a.office_phone = "0470-1234567"
    tree.town_a.save()
    tree.county.office_name, tree.county.office_phone = "海拉尔区民政局", "0470-7654321"
    tree.county.save()
    html = client.get(f"/cases/public/{tree.village_a.code}/").content.decode()
    assert "发布单位：甲镇人民政府" in html and "0470-1234567" in html and "0470-7654321" in html
    # Changing the data changes the notice: nothing is a constant in the template.
    tree.town_a.office_name, tree.town_a.office_phone = "甲镇社会事务办", "0470-1111111"
    tree.town_a.save()
    html = client.get(f"/cases/public/{tree.village_a.code}/").content.decode()
    assert "甲镇社会事务办" in html and "0470-1111111" in html and "0470-1234567" not in html


def test_case_page_links_its_public_notice(client, people, noticed, tree):
    client.force_login(people.owner)
    page = client.get(f"/cases/{noticed.pk}/").content.decode()
    assert f'href="/cases/public/{tree.village_a.code}/"' in page


def test_document_numbers_are_a_per_unit_per_year_sequence(people, hh, engine, tree):
    from tests.cases.conftest import apply as apply_for

    tree.county.doc_prefix = "海民救"
    tree.county.save()
    numbers = []
    for _ in range(2):
        case = to_notice(people.owner, apply_for(people.owner, hh).cases.get())
        day = case.notices.get().ends_on + dt.timedelta(days=1)
        case = T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=day)
        numbers.append(case.decision.document_number)
        # a household gets one entitlement at a time: stop it so the next application can be approved
        from doudi.benefits.models import Entitlement

        Entitlement.objects.filter(household=hh).update(status="ended")
    year = numbers[0].split("〔")[1][:4]
    assert numbers == [f"海民救〔{year}〕1号", f"海民救〔{year}〕2号"]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_decision_pdf_carries_document_number_seal_area_and_phone(tmp_path, people, hh, noticed, tree):
    tree.county.office_phone = "0470-7654321"
    tree.county.save()
    case = T(actor=people.county, case=noticed, to_state=State.DECIDED_APPROVED,
             today=noticed.notices.get().ends_on + dt.timedelta(days=1))
    flat = re.sub(r"\s+", "", _pdf_text(decision_pdf(case), tmp_path))
    assert case.decision.document_number and case.decision.document_number in flat
    assert "印章处" in flat and "海拉尔区民政局（盖章）" in flat and "0470-7654321" in flat


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_the_notice_and_the_household_page_state_the_phase_outs_last_paid_month(client, tmp_path, people, hh,
                                                                                 noticed):
    case = T(actor=people.county, case=noticed, to_state=State.DECIDED_APPROVED,
             today=noticed.notices.get().ends_on + dt.timedelta(days=1))
    flat = re.sub(r"\s+", "", _pdf_text(decision_pdf(case), tmp_path))
    assert "渐退期" not in flat
    # the review path stores the engine's period (start + N − 1); the notice and the household's page state it
    ent = case.entitlement
    assert ent is not None
    ent.status, ent.grace_start_month, ent.grace_months = "grace", dt.date(2026, 11, 1), 6
    ent.grace_end_month = dt.date(2027, 4, 1)
    ent.save()
    case.refresh_from_db()
    flat = re.sub(r"\s+", "", _pdf_text(decision_pdf(case), tmp_path))
    assert "渐退期" in flat and "自2026年11月起6个月，最后发放月份2027年4月" in flat
    client.force_login(people.owner)
    panel = re.sub(r"\s+", "", client.get(f"/reviews/households/{hh.pk}/credit/").content.decode())
    assert "渐退期：自2026年11月起6个月，最后发放月份2027年4月" in panel
