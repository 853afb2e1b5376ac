"""API endpoints and screens: in scope works; out of scope and no role get the same 404 with nothing leaked."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from doudi.verification import services
from doudi.verification.models import Authorisation, DepartmentRecord, VerificationRequest
from tests.verification.conftest import authorise_all, csv_bytes, load, members

AS_OF = "2025-03-01"


def client_for(user) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def post(c, url, data=None):
    return c.post(url, json.dumps(data or {}), content_type="application/json")


@pytest.fixture
def ran(home, people):
    """A household with authorisations, a tax record and a completed report."""
    child = members(home)[1]
    load("tax", [[child.id_number, "", "tax", "wage", "4200", "", "", "2024-07-01", "", ""]])
    authorise_all(people.owner, home)
    req = services.verification_request(actor=people.owner, household=home, as_of=dt.date(2025, 3, 1))
    return services.verification_run(actor=people.owner, request=req)


def test_record_authorisation_endpoint(home, people):
    person = members(home)[0]
    body = {
        "household_id": home.pk,
        "person_id": person.pk,
        "method": "e_signature",
        "signed_at": "2025-01-02",
        "signature_ref": "ES-1",
    }
    for user in (people.colleague, people.outsider, people.auditor):
        r = post(client_for(user), "/api/verification/authorisations/", body)
        assert r.status_code == 404 and person.name not in r.content.decode()
    assert not Authorisation.objects.exists()
    r = post(client_for(people.owner), "/api/verification/authorisations/", body)
    assert r.status_code == 201 and r.json()["person_name"] == person.name
    # A person who is not a member: the same 404.
    stranger = {**body, "person_id": 999_999}
    assert post(client_for(people.owner), "/api/verification/authorisations/", stranger).status_code == 404


def test_list_authorisations_endpoint(home, people):
    authorise_all(people.owner, home)
    url = f"/api/verification/authorisations/?household_id={home.pk}"
    page = client_for(people.owner).get(url).json()
    assert len(page["items"]) == 2 and page["count"] == 2
    assert client_for(people.colleague).get(url).json() == {"items": [], "count": 0}
    assert client_for(people.outsider).get(url).json() == {"items": [], "count": 0}
    assert client_for(None).get(url).status_code == 401


def test_request_endpoint_refuses_without_authorisation_and_scopes(home, people):
    body = {"household_id": home.pk, "as_of": AS_OF}
    r = post(client_for(people.owner), "/api/verification/requests/", body)
    assert r.status_code == 409 and r.json()["code"] == "authorisation_missing"
    assert members(home)[0].name in r.json()["message"]
    authorise_all(people.owner, home)
    for user in (people.colleague, people.outsider):
        assert post(client_for(user), "/api/verification/requests/", body).status_code == 404
    r = post(client_for(people.owner), "/api/verification/requests/", body)
    assert r.status_code == 201 and r.json()["status"] == "requested"
    assert VerificationRequest.objects.count() == 1
    mine = client_for(people.owner).get("/api/verification/requests/").json()
    assert len(mine["items"]) == 1 and mine["count"] == 1
    assert client_for(people.colleague).get("/api/verification/requests/").json() == {"items": [], "count": 0}


def test_run_and_report_endpoints(home, people):
    child = members(home)[1]
    load("tax", [[child.id_number, "", "tax", "wage", "4200", "", "", "2024-07-01", "", ""]])
    authorise_all(people.owner, home)
    req = services.verification_request(actor=people.owner, household=home, as_of=dt.date(2025, 3, 1))
    url = f"/api/verification/requests/{req.pk}/run/"
    for user in (people.colleague, people.outsider, people.auditor):
        assert post(client_for(user), url).status_code == 404
    r = post(client_for(people.owner), url)
    assert r.status_code == 201
    report = r.json()
    assert report["discrepancies"][0]["kind"] == "undeclared_income"
    report_url = f"/api/verification/reports/{report['id']}/"
    for user in (people.colleague, people.outsider):
        r = client_for(user).get(report_url)
        assert r.status_code == 404 and child.name not in r.content.decode()
    assert client_for(people.auditor).get(report_url).status_code == 200  # read-only oversight of the city
    assert client_for(people.owner).get(report_url).json()["discrepancies"][0]["found_fen"] == 420_000
    assert post(client_for(people.owner), url).status_code == 409  # already reported


def test_accept_endpoint(ran, people):
    d = ran.discrepancies.get()
    url = f"/api/verification/discrepancies/{d.pk}/accept/"
    for user in (people.colleague, people.outsider, people.auditor):
        assert post(client_for(user), url, {"note": "x"}).status_code == 404
    r = post(client_for(people.owner), url, {"note": "已核实"})
    assert r.status_code == 200 and r.json()["status"] == "accepted"


def test_referral_endpoints(home, people, tree):
    from tests import factories as f

    med = f.user("med", (tree.town_a, "department"), department="medical_security")
    edu = f.user("edu", (tree.town_a, "department"), department="education")
    med_b = f.user("med_b", (tree.town_b, "department"), department="medical_security")
    body = {"household_id": home.pk, "need_type": "medical", "need_detail": "住院"}
    for user in (people.colleague, people.outsider, med):
        assert post(client_for(user), "/api/referrals/", body).status_code == 404
    r = post(client_for(people.owner), "/api/referrals/", body)
    assert r.status_code == 201 and r.json()["department"] == "medical_security"
    rid = r.json()["id"]
    assert [x["id"] for x in client_for(med).get("/api/referrals/").json()["items"]] == [rid]
    for user in (edu, med_b, people.colleague, people.outsider):
        assert client_for(user).get("/api/referrals/").json() == {"items": [], "count": 0}
    url = f"/api/referrals/{rid}/transition/"
    for user in (edu, med_b, people.owner, people.outsider):
        assert post(client_for(user), url, {"to_state": "received"}).status_code == 404
    r = post(client_for(med), url, {"to_state": "answered", "answer": "x"})
    assert r.status_code == 409 and "不能从" in r.json()["message"]
    assert post(client_for(med), url, {"to_state": "received"}).json()["status"] == "received"


# --- screens -----------------------------------------------------------------------------------------------------


def test_household_page_shows_authorisation_and_report(ran, people):
    home = ran.request.household
    r = client_for(people.owner).get(f"/verification/households/{home.pk}/")
    page = r.content.decode()
    assert r.status_code == 200 and "已授权" in page and "未申报收入" in page and "采信并更新台账" in page
    assert client_for(people.colleague).get(f"/verification/households/{home.pk}/").status_code == 404
    d = ran.discrepancies.get()
    r = client_for(people.owner).post(f"/verification/discrepancies/{d.pk}/accept/", {"note": ""})
    assert r.status_code == 302
    d.refresh_from_db()
    assert d.status == "accepted"


def test_request_button_reports_missing_authorisation(home, people):
    c = client_for(people.owner)
    r = c.post(f"/verification/households/{home.pk}/requests/", follow=True)
    assert "尚未签署" in r.content.decode()
    assert not VerificationRequest.objects.exists()


def test_department_upload_screen_is_for_county_staff(home, people):
    url = "/verification/department-data/"
    assert client_for(people.owner).get(url).status_code == 404  # township staff: not a county exchange
    c = client_for(people.county)
    assert c.get(url).status_code == 200
    person = members(home)[0]
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = csv_bytes([[person.id_number, "", "tax", "wage", "-5", "", "", "2024-01-01", "", ""]])
    r = c.post(
        url,
        {
            "department": "tax",
            "region": "150702000000",
            "file": SimpleUploadedFile("tax.csv", bad, content_type="text/csv"),
        },
    )
    assert "第 2 行" in r.content.decode() and not DepartmentRecord.objects.exists()
    good = csv_bytes([[person.id_number, "", "tax", "wage", "500", "", "", "2024-01-01", "", ""]])
    r = c.post(
        url,
        {
            "department": "tax",
            "region": "150702000000",
            "file": SimpleUploadedFile("tax.csv", good, content_type="text/csv"),
        },
        follow=True,
    )
    assert "已导入 1 条记录" in r.content.decode()
    assert DepartmentRecord.objects.get().batch.region_id == "150702000000"


def test_referral_inbox_and_answer_screen(home, people, tree):
    from doudi.referrals.services import referral_create
    from tests import factories as f

    med = f.user("med", (tree.town_a, "department"), department="medical_security")
    edu = f.user("edu", (tree.town_a, "department"), department="education")
    ref = referral_create(actor=people.owner, household=home, need_type="medical")
    # The inbox names the household by its head (户主姓名) and links the referral.
    assert f"/referrals/{ref.pk}/" in client_for(med).get("/referrals/").content.decode()
    assert f"/referrals/{ref.pk}/" not in client_for(edu).get("/referrals/").content.decode()
    assert client_for(edu).get(f"/referrals/{ref.pk}/").status_code == 404
    c = client_for(med)
    c.post(f"/referrals/{ref.pk}/transition/", {"to_status": "received"})
    c.post(f"/referrals/{ref.pk}/transition/", {"to_status": "answered", "answer": "已纳入医疗救助"})
    page = client_for(people.owner).get(f"/referrals/households/{home.pk}/").content.decode()
    assert "已纳入医疗救助" in page and "已办结反馈" in page


def test_load_department_data_command(home, tmp_path):
    from django.core.management import CommandError, call_command

    person = members(home)[0]
    path = tmp_path / "cars.csv"
    path.write_bytes(csv_bytes([[person.id_number, "", "vehicle", "", "", "80000", "1", "2024-01-01", "", ""]]))
    call_command("load_department_data", str(path), department="public_security")
    assert DepartmentRecord.objects.count() == 1
    path.write_bytes(csv_bytes([[person.id_number, "", "vehicle", "", "", "x", "1", "2024-01-01", "", ""]]))
    with pytest.raises(CommandError, match="第 2 行"):
        call_command("load_department_data", str(path), department="public_security")


def test_a_note_longer_than_the_report_keeps_is_refused_and_nothing_changes(ran, people):
    d = ran.discrepancies.get()
    c = client_for(people.owner)
    for decision in ("accept", "dismiss"):
        r = c.post(f"/verification/discrepancies/{d.pk}/{decision}/", {"note": "实" * 301}, follow=True)
        assert r.status_code == 200 and "核实情况说明不能超过 300 个字" in r.content.decode()
        d.refresh_from_db()
        assert d.status == "open" and d.resolution_note == ""
    r = c.post(f"/verification/discrepancies/{d.pk}/dismiss/", {}, follow=True)
    assert "不予采信须填写核实情况说明" in r.content.decode()
    d.refresh_from_db()
    assert d.status == "open"


def test_the_supporters_switch_reads_only_1(home, people):
    c = client_for(people.owner)
    for value in ("0", "yes", "1" * 50):
        assert c.get(f"/verification/households/{home.pk}/", {"tekun": value}).status_code == 200
