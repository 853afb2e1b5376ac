"""Every endpoint, role × jurisdiction: the owner (township A) gets the row; a colleague of township B, an outsider
with no role and a missing id all get the same 404 (no leak); lists show out-of-scope users nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.reviews.models import ReviewTask
from doudi.reviews.services import credit_record_add, job_offer_record, overpayment_create, review_scan
from tests.reviews.conftest import entitlement, members, pay


@pytest.fixture
def world(tree, people, family):
    ent = entitlement(family, monthly_fen=60_000, start=dt.date(2025, 10, 1))
    pay(ent, [dt.date(2026, 1, 1), dt.date(2026, 2, 1)])
    review_scan(actor=None, region_code=tree.town_a.code, as_of=dt.date(2026, 4, 15))
    task = ReviewTask.objects.get(entitlement=ent)
    op = overpayment_create(actor=people.owner, entitlement=ent, reason="concealed_income",
                            should_stop_on=dt.date(2025, 12, 15))
    credit_record_add(actor=people.owner, household=family, reason="concealment", detail="隐瞒收入",
                      decided_on=dt.date(2026, 3, 1), source="review")
    job_offer_record(actor=people.owner, household=family, person=members(family)[2], offered_on=dt.date(2026, 3, 1),
                     department="人社局", result="accepted")
    return {"ent": ent, "task": task, "op": op, "hh": family, "son": members(family)[2]}


def _detail_calls(w):
    t, op = w["task"].pk, w["op"].pk
    return [
        ("get", f"/api/reviews/tasks/{t}", None),
        ("post", f"/api/reviews/tasks/{t}/evaluate", {}),
        ("post", f"/api/reviews/tasks/{t}/decide", {"outcome": "continue", "reason": "无明显变化"}),
        ("post", "/api/reviews/tasks", {"entitlement_id": w["ent"].pk, "reason": "report", "note": "举报"}),
        ("get", f"/api/reviews/overpayments/{op}", None),
        ("post", f"/api/reviews/overpayments/{op}/recoveries",
         {"amount_fen": 1000, "received_on": "2026-04-01", "method": "cash"}),
        ("post", f"/api/reviews/overpayments/{op}/fine",
         {"fine_fen": w["op"].amount_fen, "decision_ref": "民罚1号", "decided_on": "2026-04-01"}),
        ("post", f"/api/reviews/overpayments/{op}/waive", {"reason": "无力偿还"}),
        ("post", "/api/reviews/overpayments", {"entitlement_id": w["ent"].pk, "reason": "death",
                                               "should_stop_on": "2025-12-31"}),
        ("post", "/api/reviews/credit", {"household_id": w["hh"].pk, "reason": "concealment", "detail": "x",
                                         "decided_on": "2026-03-01", "source": "review"}),
        ("post", "/api/reviews/job-offers", {"household_id": w["hh"].pk, "person_id": w["son"].pk,
                                             "offered_on": "2026-03-02", "department": "人社局",
                                             "result": "accepted"}),
        ("post", "/api/reviews/scan", {"region": "150702001000", "as_of": "2026-04-15"}),
    ]


def _call(client, method, url, body):
    if method == "get":
        return client.get(url)
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_out_of_scope_and_no_role_get_the_same_404(client, people, world, who):
    client.force_login(getattr(people, who))
    for method, url, body in _detail_calls(world):
        r = _call(client, method, url, body)
        assert r.status_code == 404, (who, url, r.content)
        assert r.json().get("code") in ("not_found", None), url
    # Missing ids answer exactly like rows of another jurisdiction.
    assert client.get("/api/reviews/tasks/999999").status_code == 404
    assert client.get("/api/reviews/overpayments/999999").status_code == 404
    for url in ("/api/reviews/tasks", "/api/reviews/overpayments", "/api/reviews/credit", "/api/reviews/job-offers"):
        assert client.get(url).json() == {"items": [], "count": 0}, url


def test_owner_in_scope(client, people, world):
    client.force_login(people.owner)
    ok = {}
    for method, url, body in _detail_calls(world):
        r = _call(client, method, url, body)
        ok[url] = r.status_code
        assert r.status_code in (200, 422), (url, r.content)  # 422 = a business rule, never a scope answer
    assert ok[f"/api/reviews/tasks/{world['task'].pk}"] == 200
    for url in ("/api/reviews/tasks", "/api/reviews/overpayments", "/api/reviews/credit", "/api/reviews/job-offers"):
        page = client.get(url).json()
        assert len(page["items"]) >= 1 and page["count"] == len(page["items"]), url
    assert client.get("/api/reviews/tasks?when=overdue").status_code == 200


def test_anonymous_is_refused(client, world):
    assert client.get(f"/api/reviews/tasks/{world['task'].pk}").status_code == 401


def test_screens_scoped(client, people, world):
    client.force_login(people.owner)
    pages = ["/reviews/", "/reviews/?when=overdue", "/reviews/?when=due", f"/reviews/{world['task'].pk}/",
             "/reviews/overpayments/", f"/reviews/overpayments/{world['op'].pk}/", "/reviews/credit/",
             "/reviews/job-offers/", f"/reviews/households/{world['hh'].pk}/credit/"]
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200, url
    assert "隐瞒收入" in client.get(f"/reviews/households/{world['hh'].pk}/credit/").content.decode()
    client.force_login(people.colleague)
    for url in (f"/reviews/{world['task'].pk}/", f"/reviews/overpayments/{world['op'].pk}/",
                f"/reviews/households/{world['hh'].pk}/credit/"):
        assert client.get(url).status_code == 404, url
    assert "隐瞒收入" not in client.get("/reviews/credit/").content.decode()
