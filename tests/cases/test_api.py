"""Role × jurisdiction for every case endpoint: in scope works, out of scope and missing give the same 404, no role
gives nothing, and errors are {code, message}."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from tests import factories as f
from tests.cases.conftest import apply, head

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


@pytest.fixture
def case(people, hh, engine):
    return apply(people.owner, hh).cases.get()


INV = {"kind": "home_visit", "visited_on": dt.date.today().isoformat(), "family_signed": True,
       "investigators": [1, 2]}  # user ids: the scope check comes first, so any ids do for 401/404

ENDPOINTS = [
    ("get", "/api/cases/{id}", None),
    ("post", "/api/cases/{id}/transitions", {"to_state": "accepted"}),
    ("post", "/api/cases/{id}/investigations", INV),
    ("post", "/api/cases/{id}/verification", {"completed_on": dt.date.today().isoformat()}),
    ("post", "/api/temporary/cases/{id}/payments", {"amount_fen": 100}),
    ("post", "/api/cases/{id}/rejection-notice", {"issued_on": dt.date.today().isoformat()}),
    ("post", "/api/cases/{id}/appeals", {"kind": "review", "filed_on": "2025-01-01", "body": "县政府"}),
]


def _call(client, method, url, body):
    if method == "get":
        return client.get(url)
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS)
def test_out_of_scope_equals_missing(people, case, method, url, body):
    for user in (people.colleague, people.outsider):
        c = _client(user)
        out = _call(c, method, url.format(id=case.pk), body)
        missing = _call(c, method, url.format(id=999_999), body)
        assert out.status_code == missing.status_code == 404
        assert out.json() == missing.json()
        assert out.json()["code"] == "not_found"


@pytest.mark.parametrize(("method", "url", "body"), ENDPOINTS)
def test_anonymous_is_refused(case, method, url, body):
    assert _call(_client(), method, url.format(id=case.pk), body).status_code == 401


def test_list_is_scoped(people, case):
    for user in (people.owner, people.county, people.auditor):
        page = _client(user).get("/api/cases/").json()
        assert [c["id"] for c in page["items"]] == [case.pk] and page["count"] == 1
    assert _client(people.colleague).get("/api/cases/").json() == {"items": [], "count": 0}
    assert _client(people.outsider).get("/api/cases/").json() == {"items": [], "count": 0}
    assert _client().get("/api/cases/").status_code == 401


def test_in_scope_flow_and_typed_errors(people, case):
    c = _client(people.owner)
    detail = c.get(f"/api/cases/{case.pk}").json()
    assert detail["state"] == "submitted" and set(detail["next_steps"]) == {"accepted", "returned", "terminated"}
    r = c.post(f"/api/cases/{case.pk}/transitions", {"to_state": "decided_approved"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition"
    assert r.json()["message"] == "当前状态“已提交”不能直接进入“已批准”"
    r = c.post(f"/api/cases/{case.pk}/transitions", {"to_state": "accepted"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "accepted" and r.json()["transitions"][0]["to_state"]
    r = c.post(f"/api/cases/{case.pk}/investigations", {**INV, "investigators": [people.owner.pk]},
               content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "two_investigators_required"
    # An investigator must be someone who may act on the case: not the other township's caseworker.
    r = c.post(f"/api/cases/{case.pk}/investigations", {**INV, "investigators": [people.owner.pk,
                                                                                  people.colleague.pk]},
               content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "investigator_out_of_scope"
    partner = f.partner(people.owner)
    r = c.post(f"/api/cases/{case.pk}/investigations", {**INV, "investigators": [people.owner.pk, partner.pk]},
               content_type="application/json")
    assert r.status_code == 201
    inv = r.json()["id"]
    # The owner signed by recording it; the owner cannot sign for the partner, the partner signs for themselves.
    r = c.post(f"/api/cases/investigations/{inv}/sign", content_type="application/json")
    assert r.status_code == 422 and r.json()["code"] == "already_signed"
    r = _client(partner).post(f"/api/cases/investigations/{inv}/sign", content_type="application/json")
    assert r.status_code == 201


def test_viewer_roles_cannot_act(people, case):
    # the auditor sees the case but may not move it; the applicant sees their own case but may not move it
    r = _client(people.auditor).post(f"/api/cases/{case.pk}/transitions", {"to_state": "accepted"},
                                     content_type="application/json")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    me = f.user("citizen", person=head(case.household))
    assert _client(me).get(f"/api/cases/{case.pk}").status_code == 200
    r = _client(me).post(f"/api/cases/{case.pk}/transitions", {"to_state": "accepted"},
                         content_type="application/json")
    assert r.status_code == 403


def test_create_application(people, hh, tree):
    body = {"household_id": hh.pk, "applicant_id": head(hh).pk, "programs": ["dibao", "tekun"],
            "commitment_signed": True}
    r = _client(people.owner).post("/api/cases/applications", body, content_type="application/json")
    assert r.status_code == 201 and len(r.json()["case_ids"]) == 2
    r = _client(people.colleague).post("/api/cases/applications", body, content_type="application/json")
    assert r.status_code == 404
    r = _client(people.outsider).post("/api/cases/applications", body, content_type="application/json")
    assert r.status_code == 404
    me = f.user("citizen", person=head(hh))
    r = _client(me).post("/api/cases/applications", body, content_type="application/json")
    assert r.status_code == 201
    other = f.household(tree.village_b)
    r = _client(me).post("/api/cases/applications", {**body, "household_id": other.pk,
                                                       "applicant_id": head(other).pk},
                         content_type="application/json")
    assert r.status_code == 404


def test_openapi_lists_case_endpoints(people):
    # The schema is for staff users (integrators) since issue 9; a caseworker is refused.
    assert _client(people.owner).get("/api/openapi.json").status_code == 403
    people.owner.is_staff = True
    people.owner.save()
    paths = _client(people.owner).get("/api/openapi.json").json()["paths"]
    for p in ["/api/cases/", "/api/cases/{case_id}", "/api/cases/applications", "/api/cases/{case_id}/transitions",
              "/api/cases/{case_id}/investigations", "/api/cases/public/{region_code}"]:
        assert p in paths
