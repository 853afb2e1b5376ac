"""修改家庭信息: address and phone, the payment account, members joining and leaving — dated, with evidence,
audited before/after, only inside the caseworker's area."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.audit.models import AuditEvent
from doudi.core.errors import NotFoundOrForbidden
from doudi.registry import account_changes, edits
from doudi.registry.models import Membership
from doudi.registry.services import RegistryError
from tests import factories as f

DAY = dt.date(2026, 3, 1)
BASIS = edits.Basis(effective_on=DAY, document="户口簿")


def test_address_change_is_saved_and_audited_with_its_basis(tree, people):
    h = f.household(tree.village_a)
    edits.household_correct(actor=people.owner, household=h, basis=BASIS,
                            change=edits.ContactChange(address="幸福路9号", phone="13800000000"))
    h.refresh_from_db()
    assert (h.address, h.phone) == ("幸福路9号", "13800000000")
    event = AuditEvent.objects.get(object_type="registry.household", action="update")
    assert event.changes["address"] == ["测试路1号", "幸福路9号"] and "2026-03-01" in event.reason
    assert "户口簿" in event.reason


def test_account_change_is_masked_in_the_log_and_nothing_changed_is_refused(tree, people):
    h = f.household(tree.village_a)
    checker = f.user("checker", (tree.town_a, "township_caseworker"))
    change = edits.AccountChange(bank_name="农村信用社", bank_account="6228480000001234", account_holder="测试0")
    proposed = account_changes.account_change_propose(actor=people.owner, household=h, basis=BASIS, change=change)
    account_changes.account_change_confirm(actor=checker, household=h, change_id=proposed.pk)
    h.refresh_from_db()
    assert h.bank_account == "6228480000001234"
    event = AuditEvent.objects.get(object_type="registry.household", action="update")
    assert event.changes["bank_account"] == ["", "************1234"]
    assert "6228480000001234" not in str(AuditEvent.objects.values_list("changes", "reason", "object_repr"))
    with pytest.raises(RegistryError, match="没有需要更改"):
        account_changes.account_change_propose(actor=people.owner, household=h, basis=BASIS, change=change)


def test_other_township_cannot_correct_and_basis_is_required(tree, people):
    h = f.household(tree.village_a)
    with pytest.raises(NotFoundOrForbidden):
        edits.household_correct(actor=people.colleague, household=h, basis=BASIS,
                                change=edits.ContactChange(address="别处", phone=""))
    with pytest.raises(RegistryError, match="依据"):
        edits.household_correct(actor=people.owner, household=h, basis=edits.Basis(effective_on=DAY, document=" "),
                                change=edits.ContactChange(address="别处", phone=""))
    h.refresh_from_db()
    assert h.address == "测试路1号" and not AuditEvent.objects.filter(action="update").exists()


def test_members_join_and_leave_dated_never_deleted(tree, people):
    h = f.household(tree.village_a, members=2)
    baby = f.make_id(dt.date(2026, 2, 1), "F")
    edits.member_join(actor=people.owner, household=h, id_number=baby, name="新生儿", relationship="grandchild",
                      basis=edits.Basis(effective_on=dt.date(2026, 2, 1), document="出生医学证明"))
    child = Membership.objects.get(household=h, relationship="child")
    edits.member_leave(actor=people.owner, household=h, membership_id=child.pk, why="迁出",
                       basis=edits.Basis(effective_on=DAY, document="迁移证"))
    child.refresh_from_db()
    assert child.valid_to == DAY - dt.timedelta(days=1)
    current = {m.person.name for m in Membership.objects.filter(household=h).as_of(DAY)}
    assert current == {"测试0", "新生儿"}
    reasons = list(AuditEvent.objects.filter(object_type="registry.household").values_list("reason", flat=True))
    assert any("出生医学证明" in r for r in reasons) and any("迁出" in r and "迁移证" in r for r in reasons)


def test_the_edit_screen_saves_and_keeps_input_on_error(client, tree, people):
    h = f.household(tree.village_a)
    client.force_login(people.owner)
    url = f"/registry/households/{h.pk}/edit/"
    assert client.get(url).status_code == 200
    assert f"/registry/households/{h.pk}/edit/" in client.get(f"/registry/households/{h.pk}/").content.decode()
    bad = client.post(url, {"section": "account", "account-effective_on": "2026-03-01", "account-document": "银行卡",
                            "account-bank_account": "62284800ABC", "account-account_holder": "测试0"})
    assert bad.status_code == 200 and "62284800ABC" in bad.content.decode()
    ok = client.post(url, {"section": "account", "account-effective_on": "2026-03-01", "account-document": "银行卡",
                           "account-bank_name": "农业银行", "account-bank_account": "6228 4800 0000 5678",
                           "account-account_holder": "测试0"})
    assert ok.status_code == 302
    h.refresh_from_db()
    assert h.bank_account == ""  # proposed; a second person confirms it (tests/registry/test_account_changes.py)
    assert h.account_changes.get().bank_account == "6228480000005678"
    client.force_login(people.colleague)
    assert client.get(url).status_code == 404
    assert client.post(url, {"section": "contact"}).status_code == 404
    client.force_login(people.auditor)
    assert client.get(url).status_code == 404


def test_a_member_leaves_only_by_a_caseworker_of_the_area_and_only_once(tree, people):
    h = f.household(tree.village_a, members=2)
    child = Membership.objects.get(household=h, relationship="child")
    with pytest.raises(NotFoundOrForbidden):
        edits.member_leave(actor=people.colleague, household=h, membership_id=child.pk, why="迁出", basis=BASIS)
    edits.member_leave(actor=people.owner, household=h, membership_id=child.pk, why="迁出", basis=BASIS)
    with pytest.raises(RegistryError, match="现有成员"):
        edits.member_leave(actor=people.owner, household=h, membership_id=child.pk, why="迁出",
                           basis=edits.Basis(effective_on=DAY + dt.timedelta(days=1), document="迁移证"))
    child.refresh_from_db()
    assert child.valid_to == DAY - dt.timedelta(days=1)
    assert AuditEvent.objects.filter(object_type="registry.household", reason__contains="迁出").count() == 1
