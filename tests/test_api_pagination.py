"""Every API list pages (issue 13 item 3): ``{"items", "count"}``, ``limit``/``offset``, at most 500 a page, the count
is the scoped total, and page 2 starts exactly where page 1 ended (no row skipped or repeated)."""

from __future__ import annotations

import pytest
from django.test import Client

from doudi.api import api
from doudi.core.pagination import MAX_LIMIT, stable
from doudi.hotline.models import Ticket
from doudi.hotline.services import TicketInput, ticket_create
from doudi.payments.models import Payroll

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def tickets(tree, people):
    """Seven tickets in township A (the owner's), two in township B (the colleague's), all received at the same
    moment, so only the tie-breaker orders them."""
    def make(actor, region, n):
        return [ticket_create(actor=actor, data=TicketInput(
            kind="help", channel="phone", summary=f"求助{i}", region=region, caller_name="王小明",
            caller_phone="13812345678")).pk for i in range(n)]

    mine, theirs = make(people.owner, tree.town_a, 7), make(people.colleague, tree.town_b, 2)
    moment = Ticket.objects.get(pk=mine[0]).received_at
    Ticket.objects.update(received_at=moment)
    return mine, theirs


def test_pages_follow_each_other_and_count_is_the_scoped_total(people, tickets):
    mine, _theirs = tickets
    c = _client(people.owner)
    first = c.get("/api/hotline/", {"limit": 3}).json()
    second = c.get("/api/hotline/", {"limit": 3, "offset": 3}).json()
    last = c.get("/api/hotline/", {"limit": 3, "offset": 6}).json()
    assert first["count"] == second["count"] == last["count"] == 7
    assert [len(p["items"]) for p in (first, second, last)] == [3, 3, 1]
    ids = [t["id"] for p in (first, second, last) for t in p["items"]]
    assert ids == sorted(mine, reverse=True)  # ties on the time: newest id first, each row exactly once
    assert c.get("/api/hotline/", {"limit": 3, "offset": 7}).json() == {"items": [], "count": 7}
    everything = c.get("/api/hotline/").json()
    assert [t["id"] for t in everything["items"]] == ids and everything["count"] == 7


def test_filters_narrow_the_count_too(people, tickets):
    mine, _theirs = tickets
    Ticket.objects.filter(pk=mine[0]).update(kind="complaint")
    page = _client(people.owner).get("/api/hotline/", {"kind": "complaint"}).json()
    assert page == {"items": page["items"], "count": 1} and [t["id"] for t in page["items"]] == [mine[0]]


def test_another_area_gets_count_zero(people, tickets):
    _mine, theirs = tickets
    page = _client(people.colleague).get("/api/hotline/", {"limit": 500}).json()
    assert page["count"] == 2 and sorted(t["id"] for t in page["items"]) == sorted(theirs)
    assert _client(people.outsider).get("/api/hotline/").json() == {"items": [], "count": 0}


def test_page_size_is_bounded(people, tickets):
    c = _client(people.owner)
    assert len(c.get("/api/hotline/", {"limit": MAX_LIMIT}).json()["items"]) == 7
    for bad in ({"limit": MAX_LIMIT + 1}, {"limit": 0}, {"limit": "十"}, {"offset": -1}, {"offset": 2**64}):
        r = c.get("/api/hotline/", bad)
        assert r.status_code == 422, bad
        body = r.json()
        assert body["code"] == "invalid_input" and body["field"] == next(iter(bad)), bad
        assert body["message"].startswith("输入有误："), body


def test_every_list_endpoint_is_paged_in_the_schema():
    schema = api.get_openapi_schema()
    lists = []
    for path, item in schema["paths"].items():
        get = item.get("get")
        if not get:
            continue
        ok = get["responses"].get(200) or get["responses"].get("200", {})
        ok = ok.get("content", {}).get("application/json", {}).get("schema", {})
        ref = ok.get("$ref", "")
        body = schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}) if ref else ok
        if body.get("type") == "array" or "items" in body.get("properties", {}):
            lists.append(path)
            assert body.get("type") != "array", f"{path} answers a bare list"
            assert set(body["properties"]) == {"items", "count"}, path
            params = {p["name"]: p["schema"] for p in get.get("parameters", [])}
            assert params["limit"]["maximum"] == MAX_LIMIT and params["limit"]["minimum"] == 1, path
            assert params["offset"]["minimum"] == 0, path
    assert len(lists) >= 13, lists


def test_stable_adds_the_primary_key_when_the_order_can_tie():
    # Two batches of one month, area and programme tie on the payroll's default order.
    assert stable(Payroll.objects.all()).query.order_by == ("-month", "region_id", "program", "-id")
    assert stable(Ticket.objects.order_by("-received_at", "-id")).query.order_by == ("-received_at", "-id")
    assert stable(Ticket.objects.order_by("kind")).query.order_by == ("kind", "-id")
