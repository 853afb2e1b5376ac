"""Login/logout audit, the 工作台 tiles, the audit log view and the admin's read-only audit log."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doudi.audit.models import AuditEvent
from doudi.statistics.services import statistics_refresh
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_login_logout_and_failed_login_are_audited_without_the_password(client, people):
    client.post(reverse("login"), {"username": "owner", "password": "wrong-secret-999"})
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.object_repr == "owner" and failed.object_id == str(people.owner.pk)
    assert "wrong-secret-999" not in str(failed.changes) + failed.reason + failed.object_repr

    response = client.post(reverse("login"), {"username": "owner", "password": "test-pass-123"})
    assert response.status_code == 302
    login = AuditEvent.objects.get(action="login")
    assert login.actor == people.owner and login.region_code == people.owner.grants.get().region_id

    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action="logout", actor=people.owner).exists()


def test_failed_login_shows_a_chinese_message(client, people):
    body = client.post(reverse("login"), {"username": "nobody", "password": "x"}).content.decode()
    assert "用户名或密码不正确" in body
    assert AuditEvent.objects.filter(action="login_failed", object_repr="nobody").exists()


def test_home_shows_tiles_and_counts_for_the_role(client, people, homes, tree):
    statistics_refresh()  # the figures come from the maintained aggregates (doudi.statistics)
    client.force_login(people.owner)
    body = client.get(reverse("web:home")).content.decode()
    assert "家庭台账" in body and reverse("registry:import") in body
    assert reverse("audit:event_list") not in body and reverse("admin:index") not in body
    assert '<span class="stat-num">2</span>' in body  # two households in 甲镇
    assert '<span class="stat-num">3</span>' in body  # three current members

    client.force_login(people.auditor)
    body = client.get(reverse("web:home")).content.decode()
    # The auditor may export but not import: no link to an import page they would be refused.
    assert reverse("audit:event_list") in body and reverse("registry:import") not in body
    assert "导出" in body

    # An area administrator gets 系统管理 (the scoped screens); the Django admin is for installation superusers only.
    admin = f.user("root", (tree.province, "administrator"), is_staff=True)
    client.force_login(admin)
    body = client.get(reverse("web:home")).content.decode()
    assert reverse("accounts:manage") in body and reverse("admin:index") not in body
    admin.is_superuser = True
    admin.save()
    assert reverse("admin:index") in client.get(reverse("web:home")).content.decode()

    client.force_login(people.outsider)
    body = client.get(reverse("web:home")).content.decode()
    assert "还没有任何辖区授权" in body and reverse("registry:household_list") not in body


def test_audit_log_is_for_auditors_and_scoped(client, people, homes):
    client.force_login(people.owner)
    client.get(reverse("registry:household_detail", args=[homes.a.pk]))
    client.force_login(people.colleague)
    client.get(reverse("registry:household_detail", args=[homes.b.pk]))

    # Caseworkers hold view_full on records, but the log itself is for supervisors.
    assert client.get(reverse("audit:event_list")).status_code == 404

    client.force_login(people.auditor)
    # (object_repr masks any 18-digit run like an ID, household numbers included, so match on the object id)
    seen_a, seen_b = f"registry.household #{homes.a.pk}<", f"registry.household #{homes.b.pk}<"
    body = client.get(reverse("audit:event_list"), {"action": "view"}).content.decode()
    assert seen_a in body and seen_b in body and "查看完整档案" in body

    town_auditor = f.user("town_auditor", (people.owner.grants.get().region, "auditor"))
    client.force_login(town_auditor)
    body = client.get(reverse("audit:event_list")).content.decode()
    assert seen_a in body and seen_b not in body

    body = client.get(reverse("audit:event_list"), {"action": "export"}).content.decode()
    assert seen_a not in body and "没有符合条件" in body


def test_admin_audit_log_is_read_only_and_needs_an_administrator_grant(client, people, tree, homes):
    client.force_login(people.owner)
    client.get(reverse("registry:household_detail", args=[homes.a.pk]))
    event = AuditEvent.objects.filter(action="view").latest("id")

    admin = f.user("root", (tree.province, "administrator"), is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403
    page = client.get(reverse("admin:audit_auditevent_change", args=[event.pk])).content.decode()
    assert 'type="submit" value="保存"' not in page

    # A staff member without an administrator grant gets nothing from the admin.
    staff = f.user("staff", (tree.town_a, "township_caseworker"), is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:registry_household_changelist")).status_code == 403
    # Nor does an area administrator who is not an installation superuser (they use 系统管理).
    regional = f.user("regional", (tree.province, "administrator"), is_staff=True)
    client.force_login(regional)
    assert client.get(reverse("admin:audit_auditevent_changelist")).status_code == 403


def test_admin_person_list_masks_ids_and_household_save_is_audited(client, tree, homes):
    admin = f.user("root", (tree.province, "administrator"), is_staff=True, is_superuser=True)
    client.force_login(admin)
    body = client.get(reverse("admin:registry_person_changelist")).content.decode()
    assert homes.head_a.id_number not in body and homes.head_a.masked_id_number in body

    url = reverse("admin:registry_household_change", args=[homes.a.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "number": homes.a.number,
        "region": homes.a.region_id,
        "address": "新地址9号",
        "area_type": "rural",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    client.post(url, data)
    homes.a.refresh_from_db()
    assert homes.a.address == "新地址9号"
    event = AuditEvent.objects.filter(action="update", object_type="registry.household").latest("id")
    assert event.changes["address"] == ["测试路1号", "新地址9号"]
