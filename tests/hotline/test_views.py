"""Hotline and supervision screens: each role gets its page, steps post through the services, bad input is a
message (never a 500), and another township gets 404 for what is not theirs."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from doudi.hotline.choices import Status
from doudi.hotline.models import Ticket
from doudi.hotline.services import TicketInput, ticket_create
from doudi.supervision.services import round_draw
from doudi.supervision.services.rounds import RoundInput
from tests import factories as f
from tests.reviews.conftest import entitlement


@pytest.fixture
def ticket(tree, people):
    return ticket_create(actor=people.owner, data=TicketInput(
        kind="help", channel="phone", summary="生活困难求助", region=tree.town_a, caller_name="王小明",
        caller_phone="13812345678"))


def test_registering_a_call_and_every_step_on_the_screens(client, tree, people):
    client.force_login(people.owner)
    assert client.get("/hotline/new/").status_code == 200
    r = client.post("/hotline/new/", {"kind": "help", "channel": "phone", "topic": "dibao", "region": tree.town_a.code,
                                      "summary": "失业求助", "caller_name": "赵六", "caller_phone": "13700000000"})
    t = Ticket.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/hotline/{t.pk}/"
    page = client.get(f"/hotline/{t.pk}/").content.decode()
    assert "赵*" in page and "137****0000" in page and "13700000000" not in page
    client.post(f"/hotline/{t.pk}/act/accept/")
    client.post(f"/hotline/{t.pk}/act/resolve/", {"reply": "已答复"})
    client.post(f"/hotline/{t.pk}/act/callback/", {"satisfaction": "satisfied"})
    t.refresh_from_db()
    assert t.status == Status.CLOSED
    revealed = client.post(f"/hotline/{t.pk}/caller/").content.decode()
    assert "13700000000" in revealed


def test_bad_input_is_a_message_not_a_500(client, tree, people, ticket):
    client.force_login(people.owner)
    r = client.post("/hotline/new/", {"kind": "x", "region": "1", "summary": ""}, follow=True)
    assert r.status_code == 200 and "error" in r.content.decode()
    r = client.post(f"/hotline/{ticket.pk}/act/resolve/", {"reply": ""}, follow=True)
    assert r.status_code == 200 and "办结时须填写给来电人的答复" in r.content.decode()
    assert client.post(f"/hotline/{ticket.pk}/act/nosuchstep/").status_code == 404
    r = client.post("/hotline/import/", {"file": SimpleUploadedFile("x.csv", b"nonsense")}, follow=True)
    assert r.status_code == 200 and "缺少列" in r.content.decode()


def test_another_township_gets_404(client, people, ticket):
    client.force_login(people.colleague)
    assert client.get(f"/hotline/{ticket.pk}/").status_code == 404
    assert client.post(f"/hotline/{ticket.pk}/act/accept/").status_code == 404
    assert client.post(f"/hotline/{ticket.pk}/caller/").status_code == 404


def test_lists_for_each_role(client, tree, people, ticket):
    for user in (people.owner, people.county, people.auditor):
        client.force_login(user)
        for url in ("/hotline/", "/hotline/?overdue=1", "/hotline/?escalated=1", "/hotline/lines/",
                    "/hotline/lines/?draw=1&count=2&seed=5", "/supervision/"):
            assert client.get(url).status_code == 200, (user, url)


def test_supervision_screens(client, tree, people):
    f.user("insp", (tree.town_b, "township_caseworker"))
    for v in (tree.village_a, tree.village_b):
        entitlement(f.household(v))
    client.force_login(people.county)
    r = client.post("/supervision/", {"region": tree.county.code, "title": "抽查", "risk": "any", "sample_size": 2,
                                      "seed": 11})
    assert r.status_code == 302
    rnd = round_draw(actor=people.county, data=RoundInput(region=tree.county, title="b", sample_size=2, seed=11))
    page = client.get(f"/supervision/rounds/{rnd.pk}/?verify=1").content.decode()
    assert "核对一致" in page
    item = rnd.items.first()
    r = client.post(f"/supervision/items/{item.pk}/", {"method": "visit", "inspected_on": timezone.localdate()
                                                       .isoformat(), "finding": "documents", "notes": "缺材料"})
    assert r.status_code == 302
    client.post(f"/supervision/items/{item.pk}/action/", {"description": "补齐材料"})
    action = item.actions.get()
    client.post(f"/supervision/actions/{action.pk}/done/", {"result": "已补齐"})
    item.refresh_from_db()
    assert item.status == "rectified"
    client.force_login(people.outsider)
    assert client.get(f"/supervision/rounds/{rnd.pk}/").status_code == 404


def test_the_api_registers_lists_and_answers_and_a_platform_push_is_idempotent(client, tree, people):
    client.force_login(people.owner)
    body = {"kind": "complaint", "channel": "12345", "region_code": tree.town_a.code, "summary": "低保金未到账",
            "caller_name": "钱七", "caller_phone": "13600000000", "external_ref": "GD-9"}
    first = client.post("/api/hotline/", body, content_type="application/json")
    again = client.post("/api/hotline/", body, content_type="application/json")
    assert first.status_code == 201 and again.status_code == 200 and first.json()["id"] == again.json()["id"]
    assert first.json()["caller"] == "钱* 136****0000"
    tid = first.json()["id"]
    client.post(f"/api/hotline/{tid}/accept/")
    done = client.post(f"/api/hotline/{tid}/resolve/", {"reply": "已补发"}, content_type="application/json")
    assert done.json()["status"] == "resolved"
    bad = client.post("/api/hotline/", {**body, "kind": "praise"}, content_type="application/json")
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_input"
    client.force_login(people.colleague)
    assert client.get(f"/api/hotline/{tid}/").status_code == 404
    assert client.get("/api/hotline/").json() == {"items": [], "count": 0}


def test_every_full_record_view_in_hotline_and_supervision_is_audited(client, tree, people, ticket):
    """The ticket's page shows what a caller said and who they are (masked or not): each view leaves an audit row
    naming the viewer and the ticket, never the caller. The same for an inspection item's page (the household and
    the inspectors' notes), also when a drawn inspector from another township opens it. A refused view writes
    nothing."""
    from doudi.audit.models import AuditEvent

    def views(obj) -> list[AuditEvent]:
        return list(AuditEvent.objects.filter(action="view", object_type=obj._meta.label_lower,
                                              object_id=str(obj.pk)).order_by("id"))

    client.force_login(people.owner)
    assert client.get(f"/hotline/{ticket.pk}/").status_code == 200
    client.force_login(people.county)
    assert client.get(f"/hotline/{ticket.pk}/").status_code == 200
    seen = views(ticket)
    assert [e.actor for e in seen] == [people.owner, people.county]
    assert all(e.region_code == tree.town_a.code and "王小明" not in e.object_repr + str(e.changes)
               and "13812345678" not in e.object_repr + str(e.changes) for e in seen)
    client.force_login(people.colleague)
    assert client.get(f"/hotline/{ticket.pk}/").status_code == 404
    assert len(views(ticket)) == 2

    inspector = f.user("insp", (tree.town_b, "township_caseworker"))
    entitlement(f.household(tree.village_a))
    rnd = round_draw(actor=people.county, data=RoundInput(region=tree.county, title="审计", sample_size=1, seed=3))
    item = rnd.items.get()
    assert item.household.region_id == tree.village_a.code and inspector in item.inspectors.all()
    for user in (people.county, inspector):
        client.force_login(user)
        assert client.get(f"/supervision/items/{item.pk}/").status_code == 200
    assert [e.actor for e in views(item)] == [people.county, inspector]
    assert {e.region_code for e in views(item)} == {tree.village_a.code}
    client.force_login(people.outsider)
    assert client.get(f"/supervision/items/{item.pk}/").status_code == 404
    assert len(views(item)) == 2
