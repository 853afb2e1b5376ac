"""The applicant's phone: upload materials, sign the verification authorisation, follow status, get the notice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from doudi.audit.models import AuditEvent
from doudi.cases import services
from doudi.cases.choices import State
from doudi.cases.models import Attachment
from doudi.cases.workflow import StepData
from doudi.registry.models import Membership, Person
from doudi.selfservice.status import case_status
from doudi.verification.models import Authorisation
from doudi.verification.selectors import authorisations_complete
from tests import factories as f
from tests.cases.conftest import apply, head, to_notice

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 100


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _c(user, **headers):
    c = Client(**headers)
    c.force_login(user)
    return c


def _stored(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


@pytest.fixture
def citizen(hh):
    return f.user("citizen", person=head(hh), display_name=head(hh).name)


@pytest.fixture
def app(people, hh, engine):
    return apply(people.owner, hh)


def _upload(client, app, content, name="户口簿.jpg", kind="hukou_book", **extra):
    return client.post("/selfservice/attachments/", {
        "application": app.pk, "kind": kind, "file": SimpleUploadedFile(name, content, "image/jpeg"), **extra,
    }, follow=True)


# --- upload --------------------------------------------------------------------------------------------------------


def test_applicant_uploads_a_photo_and_marks_the_missing_item_supplied(people, hh, citizen, app, media):
    services.case_transition(actor=people.owner, case=app.cases.get(), to_state=State.RETURNED,
                             data=StepData(missing_items=["户口簿", "收入证明"]))
    html = _upload(_c(citizen), app, JPEG, supplies_item="户口簿").content.decode()
    assert "已上传：户口簿.jpg" in html
    row = Attachment.objects.get()
    assert (row.kind, row.content_type, row.size, row.uploaded_by) == ("hukou_book", "image/jpeg", len(JPEG), citizen)
    # stored under MEDIA_ROOT with a random name: the original name may carry a person's name
    assert [p.read_bytes() for p in _stored(media)] == [JPEG] and "户口簿" not in row.file.name
    app.refresh_from_db()
    assert app.missing_items == ["收入证明"]  # the township still confirms by resubmitting
    assert app.cases.get().state == State.RETURNED
    assert "已上传补正材料：户口簿" in html and "请补齐：收入证明" in html


@pytest.mark.parametrize(("content", "name"), [(PDF, "病历.pdf"), (HEIC, "IMG_0001.HEIC")])
def test_pdf_and_iphone_photos_are_accepted(citizen, app, content, name):
    _upload(_c(citizen), app, content, name=name, kind="medical")
    assert Attachment.objects.get().content_type in {"application/pdf", "image/heic"}


def test_too_big_file_is_refused_and_nothing_stored(citizen, app, media):
    html = _upload(_c(citizen), app, JPEG + b"\x00" * (10 * 1024 * 1024)).content.decode()
    assert "单个文件不能超过 10 MB" in html
    assert not Attachment.objects.exists() and _stored(media) == []


@pytest.mark.parametrize(("content", "name"), [(b"MZ\x90\x00 not a photo", "户口簿.jpg"), (b"hello", "a.txt")])
def test_wrong_type_is_refused_and_nothing_stored(citizen, app, media, content, name):
    html = _upload(_c(citizen), app, content, name=name).content.decode()
    assert "只能上传 PDF、JPG、PNG 或 HEIC" in html
    assert not Attachment.objects.exists() and _stored(media) == []


def test_cannot_upload_to_another_households_application(people, tree, citizen, engine, media):
    other = apply(people.owner, f.household(tree.village_a, members=1))
    html = _upload(_c(citizen), other, JPEG).content.decode()
    assert "未找到该申请" in html and not Attachment.objects.exists() and _stored(media) == []


# --- download --------------------------------------------------------------------------------------------------------


def test_download_is_scoped_and_audited(people, tree, hh, citizen, app):
    _upload(_c(citizen), app, JPEG)
    row = Attachment.objects.get()
    url = f"/cases/attachments/{row.pk}/"

    r = _c(citizen).get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == JPEG
    assert r["Content-Type"] == "image/jpeg" and "attachment" in r["Content-Disposition"]
    event = AuditEvent.objects.get(action="view", object_type="cases.attachment", object_id=str(row.pk))
    assert event.actor == citizen

    # another household's applicant, a colleague elsewhere and an outsider: the same 404
    neighbour = f.user("neighbour", person=head(f.household(tree.village_a, members=1)))
    for user in (neighbour, people.colleague, people.outsider):
        assert _c(user).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="view", object_type="cases.attachment").count() == 1
    # there is no public media route to go around the view
    assert Client().get(f"/media/{row.file.name}").status_code == 404
    assert _c(citizen).get(f"/media/{row.file.name}").status_code == 404


def test_caseworker_sees_downloads_and_uploads_at_the_window(people, citizen, app):
    _upload(_c(citizen), app, JPEG, name="残疾证.jpg", kind="disability")
    case = app.cases.get()
    owner = _c(people.owner)
    html = owner.get(f"/cases/{case.pk}/").content.decode()
    row = Attachment.objects.get()
    assert "申请材料" in html and "残疾证 · 残疾证.jpg" in html and f"/cases/attachments/{row.pk}/" in html
    assert owner.get(f"/cases/attachments/{row.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="view", object_type="cases.attachment", actor=people.owner).exists()

    owner.post(f"/cases/{case.pk}/attachments/",
               {"kind": "income", "file": SimpleUploadedFile("收入证明.pdf", PDF, "application/pdf")})
    window = Attachment.objects.get(kind="income")
    assert window.case == case and window.uploaded_by == people.owner
    # the applicant sees what the window added; a colleague elsewhere cannot add to it
    assert "收入证明.pdf" in _c(citizen).get("/selfservice/").content.decode()
    r = _c(people.colleague).post(f"/cases/{case.pk}/attachments/",
                                  {"kind": "other", "file": SimpleUploadedFile("x.pdf", PDF)})
    assert r.status_code == 404 and Attachment.objects.count() == 2


# --- authorisation ---------------------------------------------------------------------------------------------------


@pytest.fixture
def child(hh):
    kid = Person.objects.create(id_number=f.make_id(dt.date(2015, 6, 1), "F"), name="测试小妹", sex="F",
                                birth_date=dt.date(2015, 6, 1))
    Membership.objects.create(household=hh, person=kid, relationship="child", valid_from=dt.date(2020, 1, 1))
    return kid


def _sign(client, person, name):
    return client.post("/selfservice/authorisations/", {"person": person.pk, "confirm_name": name},
                       follow=True).content.decode()


def test_applicant_signs_own_and_a_minors_authorisation_on_the_phone(hh, citizen, child):
    me = head(hh)
    phone = _c(citizen, HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Mobile", REMOTE_ADDR="10.1.2.3")
    html = phone.get("/selfservice/").content.decode()
    for m in hh.memberships.all():
        assert m.person.masked_id_number in html and m.person.id_number not in html
    assert "需本人到窗口签署或登录后签署" in html  # the two other adults

    assert "请输入您本人的完整姓名" in _sign(phone, me, "别人")
    assert "已签署 测试0 的家庭经济状况核对授权" in _sign(phone, me, " 测试0 ")
    assert "已签署 测试小妹 的家庭经济状况核对授权" in _sign(phone, child, "测试0")
    own, minor = Authorisation.objects.get(person=me), Authorisation.objects.get(person=child)
    for auth in (own, minor):
        assert auth.method == "e_signature" and auth.recorded_by == citizen and auth.household == hh
        assert auth.signature_ref.startswith(f"ESIGN-{citizen.pk}-") and auth.signed_at == timezone.localdate()
    event = AuditEvent.objects.get(object_type="verification.authorisation", object_id=str(minor.pk))
    assert event.user_agent.startswith("Mozilla/5.0 (iPhone)") and event.ip == "10.1.2.3"
    assert event.changes["on_behalf_of_minor"] is True
    assert "测试0 已签署授权，无需重复签署" in _sign(phone, me, "测试0")
    assert Authorisation.objects.count() == 2


def test_applicant_cannot_sign_for_another_adult_or_another_household(tree, hh, citizen):
    other_adult = hh.memberships.order_by("id")[1].person
    html = _sign(_c(citizen), other_adult, "测试0")
    assert "已成年，须本人到窗口签署或登录后本人签署" in html
    stranger = head(f.household(tree.village_a, members=1))
    assert "未找到该家庭成员" in _sign(_c(citizen), stranger, "测试0")
    assert not Authorisation.objects.exists()


def test_every_adult_signing_from_their_own_login_completes_the_authorisation(hh, citizen, child):
    today = timezone.localdate()
    _sign(_c(citizen), head(hh), "测试0")
    _sign(_c(citizen), child, "测试0")
    assert authorisations_complete(household=hh, as_of=today, include_supporters=False)[0] is False
    for i, m in enumerate(hh.memberships.order_by("id")[1:3]):
        adult = f.user(f"adult{i}", person=m.person)
        _sign(_c(adult), m.person, m.person.name)
    assert authorisations_complete(household=hh, as_of=today, include_supporters=False) == (True, [])
    assert "未签署" not in _c(citizen).get("/selfservice/").content.decode()


# --- status and the notice -------------------------------------------------------------------------------------------


def test_status_in_plain_words(people, hh, citizen, app):
    case = app.cases.get()
    today = timezone.localdate()
    assert case_status(case, today=today) == "已提交，等待乡镇（街道）受理"
    case = to_notice(people.owner, case)
    ends = case.notices.get().ends_on
    assert case_status(case, today=today) == f"公示中，至 {ends.month} 月 {ends.day} 日"
    html = _c(citizen).get("/selfservice/").content.decode()
    assert f"公示中，至 {ends.month} 月 {ends.day} 日" in html and "本环节应于" in html
    assert "公示期满，等待县级民政部门审核确认" == case_status(case, today=ends + dt.timedelta(days=1))
    case = services.case_transition(actor=people.county, case=case, to_state=State.DECIDED_APPROVED,
                                    today=ends + dt.timedelta(days=1))
    start = case.decision.start_month
    assert case_status(case, today=today) == f"已批准，每月 620 元，自 {start.year} 年 {start.month} 月起"


def test_investigating_and_rejected_status(people, hh, app):
    t = services.case_transition
    case = app.cases.get()
    for state in (State.ACCEPTED, State.VERIFYING, State.INVESTIGATING):
        case = t(actor=people.owner, case=case, to_state=state)
    assert case_status(case, today=timezone.localdate()) == "乡镇正在入户调查"
    case = t(actor=people.owner, case=case, to_state=State.TERMINATED, reason="申请人撤回")
    assert case_status(case, today=timezone.localdate()) == "审核已终止"


def test_applicant_downloads_own_decision_notice_and_not_anyone_elses(people, tree, hh, citizen, app):
    case = to_notice(people.owner, app.cases.get())
    case = services.case_transition(actor=people.county, case=case, to_state=State.DECIDED_REJECTED,
                                    data=StepData(reasons=["家庭人均收入高于当地低保标准"]))
    phone = _c(citizen)
    html = phone.get("/selfservice/").content.decode()
    assert "下载不予批准通知书（PDF）" in html and f"/cases/{case.pk}/decision.pdf" in html
    assert "不予批准，理由见通知书" in html
    r = phone.get(f"/cases/{case.pk}/decision.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    neighbour = f.user("neighbour", person=head(f.household(tree.village_a, members=1)))
    assert _c(neighbour).get(f"/cases/{case.pk}/decision.pdf").status_code == 404


def test_applicant_is_sent_from_the_staff_case_page_to_their_own_page(people, citizen, app):
    """The caseworker's case page holds internal notes; an applicant following their case lands on /selfservice/."""
    case = app.cases.first()
    response = _c(citizen).get(f"/cases/{case.pk}/")
    assert response.status_code == 302 and response["Location"].endswith("/selfservice/")
    assert _c(people.owner).get(f"/cases/{case.pk}/").status_code == 200
    assert _c(people.colleague).get(f"/cases/{case.pk}/").status_code == 404


def test_applicant_sees_their_own_payment_history_without_staff_forms(people, hh, citizen, tree):
    page = _c(citizen).get("/selfservice/").content.decode()
    assert f"/payments/households/{hh.pk}/" in page
    own = _c(citizen).get(f"/payments/households/{hh.pk}/")
    assert own.status_code == 200
    body = own.content.decode()
    assert "登记代管协议" not in body and "发放名册" not in body  # no staff form or staff menu
    other = f.household(tree.village_a)
    assert _c(citizen).get(f"/payments/households/{other.pk}/").status_code == 404
