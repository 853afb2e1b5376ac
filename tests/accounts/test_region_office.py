"""Office particulars of a region (办理机关名称, 监督投诉电话, 文号机关代字: what public notices and decision notices
print) kept on a screen by the region's own administrators or those above — never a region above or beside theirs —
with before/after in the audit log; the 城乡 change stays with the level above and a second administrator."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from doudi.administration import authority, region_services
from doudi.administration.errors import AccountError
from doudi.audit.models import AuditEvent
from doudi.regions.models import Region
from tests import factories as f

pytestmark = pytest.mark.django_db

OFFICE = {"office_name": "甲镇人民政府（新址）", "office_phone": "0470-1234567", "doc_prefix": "甲民救"}


@pytest.fixture
def admins(tree):
    return {
        "county": f.user("county_admin", (tree.county, "administrator"), region=tree.county),
        "county2": f.user("county_admin2", (tree.county, "administrator"), region=tree.county),
        "town": f.user("town_admin", (tree.town_a, "administrator"), region=tree.town_a),
        "worker": f.user("worker", (tree.county, "civil_affairs"), region=tree.county),
    }


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_a_county_administrator_keeps_its_own_office_and_those_below_audited(admins, tree):
    c = _client(admins["county"])
    assert c.get(reverse("regions:region_detail", args=[tree.county.code])).status_code == 200
    response = c.post(reverse("regions:region_office", args=[tree.town_a.code]), OFFICE)
    assert response.status_code == 302
    town = Region.objects.get(pk=tree.town_a.pk)
    assert (town.office_name, town.office_phone, town.doc_prefix) == tuple(OFFICE.values())
    assert town.office() == "甲镇人民政府（新址）" and town.nearest_phone() == "0470-1234567"
    event = AuditEvent.objects.get(object_type="regions.region", object_id=tree.town_a.code)
    assert event.actor_id == admins["county"].pk
    assert event.changes == {"office_name": ["", OFFICE["office_name"]], "office_phone": ["", OFFICE["office_phone"]],
                             "doc_prefix": ["", OFFICE["doc_prefix"]]}
    # its own county's letterhead too
    assert c.post(reverse("regions:region_office", args=[tree.county.code]),
                  {"office_name": "海拉尔区民政局", "office_phone": "12345", "doc_prefix": "海民救"}).status_code == 302
    assert Region.objects.get(pk=tree.county.pk).doc_prefix == "海民救"
    # the village page shows the township's phone (nearest above) and the form
    body = c.get(reverse("regions:region_detail", args=[tree.village_a.code])).content.decode()
    assert "0470-1234567" in body and 'name="office_name"' in body


def test_never_above_or_beside(admins, tree):
    town = _client(admins["town"])
    for region in (tree.county, tree.city, tree.town_b, tree.village_b):
        assert town.get(reverse("regions:region_detail", args=[region.code])).status_code == 404
        assert town.post(reverse("regions:region_office", args=[region.code]), OFFICE).status_code == 404
    assert town.post(reverse("regions:region_office", args=[tree.village_a.code]), OFFICE).status_code == 302
    county = _client(admins["county"])
    assert county.post(reverse("regions:region_office", args=[tree.city.code]), OFFICE).status_code == 404
    with pytest.raises(AccountError):
        region_services.region_office_update(actor=admins["town"], region=tree.town_b, **OFFICE)
    with pytest.raises(AccountError):
        region_services.region_office_update(actor=admins["worker"], region=tree.village_a, **OFFICE)
    assert _client(admins["worker"]).post(reverse("regions:region_office", args=[tree.village_a.code]),
                                          OFFICE).status_code in (403, 404)
    assert Region.objects.get(pk=tree.town_b.pk).office_name == ""
    assert Region.objects.get(pk=tree.county.pk).office_name == ""


def test_own_region_page_offers_the_office_but_not_the_rural_urban_change(admins, tree):
    body = _client(admins["town"]).get(reverse("regions:region_detail", args=[tree.town_a.code])).content.decode()
    assert 'name="office_name"' in body and 'name="area_type"' not in body
    assert not authority.owns_region(admins["town"], tree.town_a)
    # the 城乡 change of its own township is refused (the county owns it) and needs a second county administrator
    data = {"area_type": "urban", "profile": "", "effective_on": timezone.localdate(), "reason": "文件"}
    assert _client(admins["town"]).post(reverse("regions:change_request", args=[tree.town_a.code]),
                                        data).status_code == 404
    change = region_services.region_change_request(actor=admins["county"], region=tree.town_a, **data)
    with pytest.raises(AccountError, match="另一名管理员"):
        region_services.region_change_confirm(actor=admins["county"], change=change)
    assert Region.objects.get(pk=tree.town_a.pk).area_type == "rural"
    region_services.region_change_confirm(actor=admins["county2"], change=change)
    assert Region.objects.get(pk=tree.town_a.pk).area_type == "urban"


def test_bad_input_and_no_change_are_refused_in_chinese(admins, tree):
    c = _client(admins["county"])
    response = c.post(reverse("regions:region_office", args=[tree.town_a.code]),
                      {"office_name": "x" * 101, "office_phone": "call me", "doc_prefix": ""})
    assert response.status_code == 400
    assert "电话只能包含数字" in response.content.decode()
    response = c.post(reverse("regions:region_office", args=[tree.town_a.code]),
                      {"office_name": "", "office_phone": "", "doc_prefix": ""})
    assert response.status_code == 400 and "办理机关信息未改变" in response.content.decode()
    assert not AuditEvent.objects.filter(object_type="regions.region").exists()
