"""Administration inside one's own area (issue 9, item 1): each attack the issue lists, on the in-app screens and on
the Django admin — an administrator manages only users, grants and region attributes of their own area, never above
it, never themselves; region type and profile change only with a second administrator; every change is audited."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from doudi.accounts.models import RegionGrant, User
from doudi.administration import authority, region_services, services
from doudi.administration.errors import AccountError
from doudi.administration.models import RegionChange
from doudi.audit.admin_changes import AuditedAdminMixin
from doudi.audit.models import AuditEvent
from doudi.regions.models import Region
from tests import factories as f

pytestmark = pytest.mark.django_db

STRONG = "Quiet-river-2026"


@pytest.fixture
def admins(tree, people):
    """Two county administrators (maker and checker), a township administrator, a city administrator, and users of
    the county and of another county."""
    other_county = f.region("150703000000", "扎赉诺尔区", "county", tree.city)
    other_town = f.region("150703001000", "丙镇", "township", other_county)
    ns = SimpleNamespace(
        county=f.user("county_admin", (tree.county, "administrator"), region=tree.county),
        county2=f.user("county_admin2", (tree.county, "administrator"), region=tree.county),
        town=f.user("town_admin", (tree.town_a, "administrator"), region=tree.town_a),
        city=f.user("city_admin", (tree.city, "administrator"), region=tree.city),
        other_town=other_town,
        stranger=f.user("stranger", (other_town, "township_caseworker"), region=other_town),
        other_admin=f.user("other_admin", (other_county, "administrator"), region=other_county),
    )
    for user in (people.owner, people.colleague):
        user.region = user.grants.get().region
        user.save()
    people.county.region = tree.county
    people.county.save()
    return ns


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


# --- who may be managed -----------------------------------------------------------------------------------------


def test_an_administrator_manages_users_of_their_area_only_never_themselves_peers_or_above(admins, people, tree):
    mine = set(authority.manageable_users(admins.county).values_list("username", flat=True))
    assert {"owner", "colleague", "county", "town_admin"} <= mine
    # not themselves, not the other county administrator (a peer), not the city above, not another county
    assert not mine & {"county_admin", "county_admin2", "city_admin", "stranger", "other_admin", "auditor"}
    town_mine = set(authority.manageable_users(admins.town).values_list("username", flat=True))
    assert "owner" in town_mine and "colleague" not in town_mine and "county" not in town_mine
    assert authority.manageable_users(people.owner).count() == 0, "no administrator grant, nobody to manage"


def test_a_user_with_one_grant_outside_the_area_is_not_manageable(admins, people, tree):
    RegionGrant.objects.create(user=people.owner, region=admins.other_town, role="township_caseworker")
    assert not authority.may_manage(admins.county, people.owner)
    with pytest.raises(AccountError):
        services.user_set_password(actor=admins.county, user=people.owner, password=STRONG)


# --- the attacks of the issue -----------------------------------------------------------------------------------


def test_a_regional_administrator_is_refused_by_the_django_admin(admins, people):
    client = _client(admins.county)
    for url in (reverse("admin:index"), reverse("admin:accounts_user_changelist"),
                f"/admin/accounts/user/{people.owner.pk}/password/",
                reverse("admin:regions_region_change", args=["150702001001"])):
        assert client.get(url).status_code == 403, url
    response = client.post(f"/admin/accounts/user/{people.owner.pk}/password/",
                           {"password1": STRONG, "password2": STRONG})
    assert response.status_code == 403
    assert not User.objects.get(pk=people.owner.pk).check_password(STRONG)


def test_no_one_resets_a_password_outside_their_area_or_their_own(admins, people):
    client = _client(admins.town)
    data = {"password1": STRONG, "password2": STRONG}
    # colleague is in township B, outside the township A administrator's area: the same 404 as a missing user
    assert client.post(reverse("accounts:user_password", args=[people.colleague.pk]), data).status_code == 404
    assert client.post(reverse("accounts:user_password", args=[admins.town.pk]), data).status_code == 404
    assert client.post(reverse("accounts:user_password", args=[admins.city.pk]), data).status_code == 404
    for user in (people.colleague, admins.town, admins.city):
        assert not User.objects.get(pk=user.pk).check_password(STRONG)
    # inside the area it works, and is audited without the password
    response = client.post(reverse("accounts:user_password", args=[people.owner.pk]), data)
    assert response.status_code == 302
    assert User.objects.get(pk=people.owner.pk).check_password(STRONG)
    event = AuditEvent.objects.get(object_type="accounts.user", object_id=str(people.owner.pk), action="update")
    assert event.actor == admins.town and STRONG not in str(event.changes) and "password" in event.changes


def test_an_administrator_cannot_grant_themselves_or_anyone_a_wider_region(admins, people, tree):
    client = _client(admins.county)
    # grant themselves the province: their own account is not theirs to manage
    response = client.post(reverse("accounts:grant_add", args=[admins.county.pk]),
                           {"region": tree.province.pk, "role": "administrator"})
    assert response.status_code == 404
    # a user of their area, a region above theirs: not offered, refused
    response = client.post(reverse("accounts:grant_add", args=[people.owner.pk]),
                           {"region": tree.province.pk, "role": "civil_affairs"})
    assert response.status_code == 400 and "请选择您管理辖区内的区划" in response.content.decode()
    # the administrator role at their own level: refused (made only by the level above)
    with pytest.raises(AccountError):
        services.grant_add(actor=admins.county, user=people.owner, region=tree.county, role="administrator")
    assert set(RegionGrant.objects.filter(user__in=[admins.county, people.owner]).values_list("region_id", "role")) \
        == {(tree.county.pk, "administrator"), (tree.town_a.pk, "township_caseworker")}
    assert not AuditEvent.objects.filter(object_type="accounts.regiongrant").exists()


def test_an_administrator_grants_and_revokes_inside_their_area_with_audit(admins, people, tree):
    client = _client(admins.county)
    response = client.post(reverse("accounts:grant_add", args=[people.owner.pk]),
                           {"region": tree.town_a.pk, "role": "administrator"})
    assert response.status_code == 302
    grant = RegionGrant.objects.get(user=people.owner, role="administrator")
    created = AuditEvent.objects.get(object_type="accounts.regiongrant", action="create")
    assert created.changes["region"] == tree.town_a.pk and created.region_code == tree.town_a.pk
    # the grant form works as an HTMX fragment too
    response = client.post(reverse("accounts:grant_remove", args=[people.owner.pk, grant.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="grants"' in response.content.decode()
    assert not RegionGrant.objects.filter(pk=grant.pk).exists()
    assert AuditEvent.objects.filter(object_type="accounts.regiongrant", action="delete").count() == 1


def test_a_township_administrator_cannot_revoke_a_county_grant_of_their_user(admins, people, tree):
    RegionGrant.objects.create(user=people.owner, region=tree.county, role="civil_affairs")
    assert not authority.may_manage(admins.town, people.owner)
    grant = people.owner.grants.get(region=tree.county)
    response = _client(admins.town).post(reverse("accounts:grant_remove", args=[people.owner.pk, grant.pk]))
    assert response.status_code == 404 and RegionGrant.objects.filter(pk=grant.pk).exists()


def test_user_create_and_edit_are_scoped_validated_and_audited(admins, people, tree):
    client = _client(admins.town)
    weak = {"username": "newbie", "display_name": "新人", "department": "civil_affairs", "region": tree.town_a.pk,
            "password1": "newbie123", "password2": "newbie123"}
    response = client.post(reverse("accounts:user_new"), weak)
    assert response.status_code == 400 and not User.objects.filter(username="newbie").exists()
    response = client.post(reverse("accounts:user_new"), {**weak, "region": tree.town_b.pk,
                                                           "password1": STRONG, "password2": STRONG})
    assert response.status_code == 400 and not User.objects.filter(username="newbie").exists()
    response = client.post(reverse("accounts:user_new"), {**weak, "password1": STRONG, "password2": STRONG})
    user = User.objects.get(username="newbie")
    assert response.status_code == 302 and user.region == tree.town_a and user.check_password(STRONG)
    assert AuditEvent.objects.get(object_type="accounts.user", object_id=str(user.pk), action="create")

    response = client.post(reverse("accounts:user_edit", args=[user.pk]),
                           {"display_name": "新人甲", "department": "civil_affairs", "region": tree.town_a.pk,
                            "phone": "13800000000"})
    user.refresh_from_db()
    assert response.status_code == 302 and user.display_name == "新人甲" and not user.is_active
    event = AuditEvent.objects.filter(object_id=str(user.pk), action="update").latest("id")
    assert event.changes["display_name"] == ["新人", "新人甲"] and event.changes["is_active"] == [True, False]
    # moving the account out of the area is refused
    response = client.post(reverse("accounts:user_edit", args=[user.pk]),
                           {"display_name": "新人甲", "department": "civil_affairs", "region": tree.county.pk})
    assert response.status_code == 400 and User.objects.get(pk=user.pk).region == tree.town_a


def test_screens_list_only_the_area_and_are_hidden_from_others(admins, people):
    body = _client(admins.town).get(reverse("accounts:user_list")).content.decode()
    assert "owner" in body and "colleague" not in body and "county_admin" not in body
    for user in (people.owner, people.auditor, people.outsider):
        assert _client(user).get(reverse("accounts:user_list")).status_code == 404
        assert _client(user).get(reverse("regions:region_list")).status_code == 404


# --- region attributes ------------------------------------------------------------------------------------------


def test_a_village_becomes_urban_only_after_a_second_administrator_confirms(admins, tree):
    village = tree.village_a
    today = timezone.localdate()
    client = _client(admins.county)
    response = client.post(reverse("regions:change_request", args=[village.code]),
                           {"area_type": "urban", "profile": "", "effective_on": today.isoformat(),
                            "reason": "呼民发〔2026〕1号"})
    assert response.status_code == 302
    change = RegionChange.objects.get(region=village)
    assert Region.objects.get(pk=village.pk).area_type == "rural", "nothing changes before the second person"
    # the maker cannot confirm their own change
    client.post(reverse("regions:change_decide", args=[change.pk, "confirm"]))
    assert Region.objects.get(pk=village.pk).area_type == "rural"
    assert RegionChange.objects.get(pk=change.pk).status == "pending"
    # an administrator of another county cannot confirm it (the same 404 as a missing change)
    assert _client(admins.other_admin).post(reverse("regions:change_decide", args=[change.pk, "confirm"])) \
        .status_code == 404
    _client(admins.county2).post(reverse("regions:change_decide", args=[change.pk, "confirm"]), {"note": "同意"})
    assert Region.objects.get(pk=village.pk).area_type == "urban"
    change.refresh_from_db()
    assert change.status == "applied" and change.decided_by == admins.county2
    event = AuditEvent.objects.filter(object_type="regions.region", object_id=village.code).latest("id")
    assert event.changes == {"area_type": ["rural", "urban"]} and "county_admin" in event.reason


def test_region_attributes_belong_to_the_level_above(admins, tree):
    # The county administrator does not change the county itself; the city administrator does.
    today = timezone.localdate().isoformat()
    data = {"area_type": "rural", "profile": "hulunbuir", "effective_on": today, "reason": "文件"}
    assert _client(admins.county).post(reverse("regions:change_request", args=[tree.county.code]), data).status_code \
        == 404
    assert _client(admins.county).post(reverse("regions:region_rename", args=[tree.county.code]),
                                       {"name": "改名区"}).status_code == 404
    assert _client(admins.city).post(reverse("regions:change_request", args=[tree.county.code]), data).status_code \
        == 302
    assert Region.objects.get(pk=tree.county.pk).name == "海拉尔区"
    # a name is corrected at once, audited
    _client(admins.county).post(reverse("regions:region_rename", args=[tree.town_a.code]), {"name": "甲镇（新）"})
    assert Region.objects.get(pk=tree.town_a.pk).name == "甲镇（新）"
    assert AuditEvent.objects.get(object_type="regions.region", object_id=tree.town_a.code).changes == {
        "name": ["甲镇", "甲镇（新）"]}


def test_a_dated_change_applies_on_its_date_once(admins, tree):
    today = timezone.localdate()
    later = today + dt.timedelta(days=10)
    change = region_services.region_change_request(actor=admins.county, region=tree.village_b, area_type="urban",
                                                   profile="", effective_on=later, reason="文件")
    region_services.region_change_confirm(actor=admins.county2, change=change)
    assert Region.objects.get(pk=tree.village_b.pk).area_type == "rural"
    call_command("regions", "apply-due", "--as-of", today.isoformat())
    assert Region.objects.get(pk=tree.village_b.pk).area_type == "rural"
    call_command("regions", "apply-due", "--as-of", later.isoformat())
    call_command("regions", "apply-due", "--as-of", later.isoformat())
    assert Region.objects.get(pk=tree.village_b.pk).area_type == "urban"
    assert AuditEvent.objects.filter(object_type="regions.region", object_id=tree.village_b.code).count() == 1
    with pytest.raises(AccountError):  # no back-dating
        region_services.region_change_request(actor=admins.county, region=tree.village_a, area_type="urban",
                                              profile="", effective_on=today - dt.timedelta(days=1), reason="x")


# --- the Django admin, for installation superusers, audited -------------------------------------------------------


@pytest.fixture
def root(tree):
    return f.user("root", is_staff=True, is_superuser=True)


def test_every_admin_screen_is_audited():
    unaudited = [type(a).__name__ for a in admin.site._registry.values() if not isinstance(a, AuditedAdminMixin)]
    assert unaudited == []


def test_installation_admin_changes_are_audited_with_before_and_after(root, people, tree):
    client = _client(root)
    response = client.post(f"/admin/accounts/user/{people.owner.pk}/password/",
                           {"password1": STRONG, "password2": STRONG})
    assert response.status_code == 302 and User.objects.get(pk=people.owner.pk).check_password(STRONG)
    event = AuditEvent.objects.get(object_type="accounts.user", action="update", actor=root)
    assert event.changes == {"password": ["***", "***（已重置）"]} and STRONG not in str(event.changes)

    response = client.post(reverse("admin:regions_region_change", args=[tree.village_a.code]),
                           {"name": "甲村新", "parent": tree.town_a.code, "area_type": "urban"})
    assert response.status_code == 302
    region = Region.objects.get(pk=tree.village_a.code)
    assert region.name == "甲村新" and region.area_type == "rural", "type changes only by maker-checker"
    event = AuditEvent.objects.get(object_type="regions.region", actor=root)
    assert event.changes == {"name": ["甲村", "甲村新"]} and event.region_code == tree.village_a.code


def test_the_installation_admin_list_narrows_the_admin(root, settings):
    settings.INSTALLATION_ADMINS = ["someone_else"]
    assert _client(root).get(reverse("admin:index")).status_code == 403
    settings.INSTALLATION_ADMINS = ["root"]
    assert _client(root).get(reverse("admin:index")).status_code == 200


def test_anonymous_admin_visitors_go_to_the_one_login_page(client):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login") + "?next=")
    assert "用户名" in response.content.decode() and response.status_code == 200
