"""The relatives register screen (近亲属备案): county and township staff only, scoped, entries by ID number."""

from __future__ import annotations

import datetime as dt

from doudi.relatives.models import CadreRelative
from tests import factories as f


def test_relatives_register_lists_only_own_jurisdiction_and_adds_by_id_number(client, tree, people):
    mine = CadreRelative.objects.create(region=tree.village_a, cadre_name="甲村主任", cadre_role="village_committee",
                                        relative_name="甲亲属", relative_id_number=f.make_id(), kinship="sibling")
    CadreRelative.objects.create(region=tree.village_b, cadre_name="乙村主任", cadre_role="village_committee",
                                 relative_name="乙亲属", relative_id_number=f.make_id(), kinship="child")
    client.force_login(people.owner)
    page = client.get("/relatives/").content.decode()
    assert mine.cadre_name in page and "乙村主任" not in page
    number = f.make_id(dt.date(1990, 1, 1), "F")
    client.post("/relatives/", {"region": tree.village_a.code, "cadre_name": "王经办", "cadre_role": "caseworker",
                                      "relative_name": "王妹", "relative_id_number": number, "kinship": "sibling"})
    assert CadreRelative.objects.filter(relative_id_number=number, region=tree.village_a).exists()
    # Another township's village is not offered and cannot be posted.
    client.post("/relatives/", {"region": tree.village_b.code, "cadre_name": "王经办", "cadre_role": "caseworker",
                                      "relative_name": "王弟", "relative_id_number": f.make_id(), "kinship": "sibling"})
    assert not CadreRelative.objects.filter(relative_name="王弟").exists()


def test_relatives_register_is_for_county_and_township_staff_only(client, people, village_user):
    for user in (village_user, people.outsider, people.auditor):
        client.force_login(user)
        assert client.get("/relatives/").status_code == 404


def test_every_view_of_the_register_is_audited_without_the_id_numbers(client, tree, people):
    from doudi.audit.models import AuditEvent

    number = f.make_id(dt.date(1988, 2, 2))
    row = CadreRelative.objects.create(region=tree.village_a, cadre_name="甲村主任", cadre_role="village_committee",
                                       relative_name="甲亲属", relative_id_number=number, kinship="sibling")
    client.force_login(people.owner)
    # The search is posted (an ID never enters a URL) and lands on the register by GET.
    assert number in client.post("/relatives/", {"op": "search", "q": number}, follow=True).content.decode()
    event = AuditEvent.objects.get(action="view", object_type="relatives.cadrerelative")
    assert event.actor == people.owner and event.region_code == tree.village_a.code
    assert event.changes["shown"] == [row.pk] and number not in str(event.changes) + event.object_repr


def test_a_search_term_is_trimmed_and_cut_to_the_box_never_an_error(client, tree, people):
    CadreRelative.objects.create(region=tree.village_a, cadre_name="甲村主任", cadre_role="village_committee",
                                 relative_name="甲亲属", relative_id_number=f.make_id(dt.date(1988, 2, 2)),
                                 kinship="sibling")
    client.force_login(people.owner)
    found = client.post("/relatives/", {"op": "search", "q": "  甲亲属  "}, follow=True).content.decode()
    assert "甲亲属" in found
    for term in ("亲" * 5000, "", "' OR 1=1 --"):
        response = client.post("/relatives/", {"op": "search", "q": term}, follow=True)
        assert response.status_code == 200, term
    assert CadreRelative.objects.count() == 1  # a search writes nothing
