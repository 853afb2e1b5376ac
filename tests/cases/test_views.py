from __future__ import annotations

import pytest
from django.test import Client

from doudi.cases.workflow import StepData
from tests import factories as f
from tests.cases.conftest import apply, head

pytestmark = pytest.mark.django_db


def _c(user):
    c = Client()
    c.force_login(user)
    return c


def test_case_list_and_page_in_chinese_with_next_steps(people, hh, engine):
    case = apply(people.owner, hh).cases.get()
    html = _c(people.owner).get("/cases/").content.decode()
    assert case.application.number in html and "已提交" in html
    html = _c(people.owner).get(f"/cases/{case.pk}/").content.decode()
    assert "下一步" in html and ">受理</button>" in html and "办理过程" in html and 'name="viewport"' in html
    assert _c(people.colleague).get(f"/cases/{case.pk}/").status_code == 404
    assert case.application.number not in _c(people.colleague).get("/cases/").content.decode()


def test_step_form_moves_case_and_shows_errors(people, hh, engine):
    case = apply(people.owner, hh).cases.get()
    c = _c(people.owner)
    r = c.post(f"/cases/{case.pk}/step/", {"to_state": "decided_approved"}, follow=True)
    assert "不能直接进入" in r.content.decode()
    c.post(f"/cases/{case.pk}/step/", {"to_state": "returned", "missing_items": "户口簿\n收入证明"})
    case.refresh_from_db()
    assert case.state == "returned" and case.application.missing_items == ["户口簿", "收入证明"]
    assert _c(people.colleague).post(f"/cases/{case.pk}/step/", {"to_state": "submitted"}).status_code == 404


def test_caseworker_application_form(people, hh):
    c = _c(people.owner)
    assert "登记救助申请" in c.get(f"/cases/apply/{hh.pk}/").content.decode()
    r = c.post(f"/cases/apply/{hh.pk}/", {"applicant": head(hh).pk, "programs": ["dibao"], "channel": "window",
                                          "place": "hukou", "commitment_signed": "on"})
    assert r.status_code == 302 and hh.applications.count() == 1
    assert _c(people.colleague).get(f"/cases/apply/{hh.pk}/").status_code == 404


def test_citizen_self_service_apply_and_status(people, hh, engine):
    me = f.user("citizen", person=head(hh))
    c = _c(me)
    assert "为本家庭提出申请" in c.get("/selfservice/").content.decode()
    c.post("/selfservice/", {"programs": ["dibao"], "place": "hukou", "commitment_signed": "on",
                          "channel": "self_service"})
    app = hh.applications.get()
    assert app.channel == "self_service" and app.submitted_by == me
    from doudi.cases import services

    services.case_transition(actor=people.owner, case=app.cases.get(), to_state="returned",
                             data=StepData(missing_items=["残疾证"]))
    html = c.get("/selfservice/").content.decode()
    assert "一次性告知补正" in html and "残疾证" in html


def test_household_and_person_archives(people, hh, engine):
    case = apply(people.owner, hh).cases.get()
    html = _c(people.owner).get(f"/cases/households/{hh.pk}/").content.decode()
    assert "一户一案" in html and case.application.number in html
    html = _c(people.owner).get(f"/cases/persons/{head(hh).pk}/").content.decode()
    assert "一人一册" in html and case.application.number in html
    assert _c(people.colleague).get(f"/cases/households/{hh.pk}/").status_code == 404
    assert _c(people.colleague).get(f"/cases/persons/{head(hh).pk}/").status_code == 404


def _to_verifying(people, hh):
    from doudi.cases import services
    from doudi.cases.choices import State

    case = apply(people.owner, hh).cases.get()
    case = services.case_transition(actor=people.owner, case=case, to_state=State.ACCEPTED)
    return services.case_transition(actor=people.owner, case=case, to_state=State.VERIFYING)


@pytest.mark.parametrize(("data", "message"), [
    ({"completed_on": "2026-02-30", "summary": "无异常"}, "日期格式应为 年-月-日"),
    ({"completed_on": "2999-01-01", "summary": "无异常"}, "超出允许范围"),
    ({"completed_on": "20260101x", "summary": "无异常"}, "日期格式应为 年-月-日"),
    ({"summary": "核" * 301}, "核对结果不能超过 300 个字"),
])
def test_verification_result_with_bad_input_is_a_message_and_not_recorded(people, hh, engine, data, message):
    case = _to_verifying(people, hh)
    r = _c(people.owner).post(f"/cases/{case.pk}/verification/", data, follow=True)
    assert r.status_code == 200 and message in r.content.decode()
    case.refresh_from_db()
    assert case.verification_completed_on is None and case.verification_summary == ""


def test_verification_result_without_a_date_is_today_and_keeps_its_summary(people, hh, engine):
    from django.utils import timezone

    case = _to_verifying(people, hh)
    r = _c(people.owner).post(f"/cases/{case.pk}/verification/", {"summary": "核" * 300}, follow=True)
    assert "核对结果已登记" in r.content.decode()
    case.refresh_from_db()
    assert case.verification_completed_on == timezone.localdate() and case.verification_summary == "核" * 300


def test_notice_served_with_a_bad_date_is_a_message(people, hh, engine):
    case = apply(people.owner, hh).cases.get()
    for day in ("2026-13-01", "0000-00-00", "9" * 30):
        r = _c(people.owner).post(f"/cases/{case.pk}/notice-served/", {"issued_on": day}, follow=True)
        assert r.status_code == 200 and "日期格式应为 年-月-日" in r.content.decode(), day
    r = _c(people.owner).post(f"/cases/{case.pk}/notice-served/", {"issued_on": "1899-12-31"}, follow=True)
    assert "超出允许范围" in r.content.decode()


def test_application_with_an_applicant_not_of_the_household_is_refused(people, hh):
    from doudi.cases.models import Application

    for applicant in ("", "abc", "9" * 30, str(f.household(hh.region, members=1).memberships.get().person_id)):
        r = _c(people.owner).post(f"/cases/apply/{hh.pk}/", {"applicant": applicant, "programs": "dibao"},
                                  follow=True)
        assert r.status_code == 200 and "请选择申请人" in r.content.decode(), applicant
    assert not Application.objects.exists()
