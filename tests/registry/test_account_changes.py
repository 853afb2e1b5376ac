"""A household's payment account changes by two people (issue 9): proposed on the household edit screen or by an
import, confirmed by someone else (the proposer is refused in Chinese), audited masked; until then the payroll pays
the confirmed account, afterwards the new one."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.audit.models import AuditEvent
from doudi.core.errors import NotFoundOrForbidden
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine
from doudi.payments.services import payroll_create
from doudi.registry import account_changes, edits
from doudi.registry.models import BankAccountChange, Household
from doudi.registry.services import RegistryError
from tests import factories as f
from tests.payments.conftest import M, dibao

pytestmark = pytest.mark.django_db

BASIS = edits.Basis(effective_on=dt.date(2026, 1, 1), document="银行卡复印件")
NEW = edits.AccountChange(bank_name="中国农业银行", bank_account="6228480000007777", account_holder="户主")


@pytest.fixture
def checker(tree):
    return f.user("checker", (tree.town_a, "township_caseworker"))


def _propose(actor, household, change=NEW):
    return account_changes.account_change_propose(actor=actor, household=household, change=change, basis=BASIS)


def _line_account(people, tree, month) -> str:
    payroll = payroll_create(actor=people.owner, region_code=tree.town_a.code, program="dibao", month=month)
    payroll_generate(payroll_id=payroll.pk, actor=people.owner)
    return PayrollLine.objects.get(payroll=payroll).bank_account


def test_the_proposer_cannot_confirm_and_the_payroll_pays_the_confirmed_account(tree, people, checker):
    ent = dibao(f.household(tree.village_a))
    old = ent.household.bank_account
    change = _propose(people.owner, ent.household)
    with pytest.raises(RegistryError, match="另一名工作人员复核确认，提交人不能确认"):
        account_changes.account_change_confirm(actor=people.owner, household=ent.household, change_id=change.pk)
    assert Household.objects.get(pk=ent.household.pk).bank_account == old
    assert _line_account(people, tree, M(2026, 1)) == old  # unconfirmed: the old account is paid
    account_changes.account_change_confirm(actor=checker, household=ent.household, change_id=change.pk, note="核对卡片")
    assert Household.objects.get(pk=ent.household.pk).bank_account == "6228480000007777"
    assert _line_account(people, tree, M(2026, 2)) == "6228480000007777"
    change.refresh_from_db()
    assert (change.status, change.decided_by, change.note) == ("confirmed", checker, "核对卡片")
    event = AuditEvent.objects.get(object_type="registry.household", action="update")
    assert event.actor_id == checker.pk and "甲镇经办员" in event.reason and "checker" in event.reason
    assert event.changes["bank_account"][1] == "************7777"
    assert "6228480000007777" not in str(list(AuditEvent.objects.values_list("changes", "reason", "object_repr")))
    with pytest.raises(RegistryError, match="已处理"):  # once only
        account_changes.account_change_confirm(actor=checker, household=ent.household, change_id=change.pk)


def test_another_township_cannot_confirm_and_a_reject_keeps_the_account(tree, people, checker):
    h = f.household(tree.village_a)
    change = _propose(people.owner, h)
    with pytest.raises(NotFoundOrForbidden):
        account_changes.account_change_confirm(actor=people.colleague, household=h, change_id=change.pk)
    with pytest.raises(NotFoundOrForbidden):
        account_changes.account_change_confirm(actor=people.auditor, household=h, change_id=change.pk)
    with pytest.raises(RegistryError, match="退回须填写理由"):
        account_changes.account_change_reject(actor=checker, household=h, change_id=change.pk, note=" ")
    account_changes.account_change_reject(actor=checker, household=h, change_id=change.pk, note="户名与身份证不符")
    assert Household.objects.get(pk=h.pk).bank_account == ""
    assert BankAccountChange.objects.get().status == "rejected"


def test_a_newer_proposal_replaces_the_open_one(tree, people, checker):
    h = f.household(tree.village_a)
    first = _propose(people.owner, h)
    fixed = edits.AccountChange(bank_name="中国农业银行", bank_account="6228480000008888", account_holder="户主")
    second = _propose(checker, h, fixed)
    first.refresh_from_db()
    assert first.status == "superseded" and second.status == "pending"
    with pytest.raises(RegistryError, match="已处理"):
        account_changes.account_change_confirm(actor=checker, household=h, change_id=first.pk)
    with pytest.raises(RegistryError, match="提交人不能确认"):  # the second proposer now is the maker
        account_changes.account_change_confirm(actor=checker, household=h, change_id=second.pk)
    account_changes.account_change_confirm(actor=people.owner, household=h, change_id=second.pk)
    assert Household.objects.get(pk=h.pk).bank_account == "6228480000008888"


def test_the_screen_proposes_and_a_second_caseworker_confirms(client, tree, people, checker):
    h = f.household(tree.village_a)
    client.force_login(people.owner)
    edit = f"/registry/households/{h.pk}/edit/"
    response = client.post(edit, {"section": "account", "account-effective_on": "2026-01-01",
                                  "account-document": "银行卡", "account-bank_name": "中国农业银行",
                                  "account-bank_account": "6228480000007777", "account-account_holder": "户主"})
    assert response.status_code == 302
    change = BankAccountChange.objects.get()
    page = client.get(edit).content.decode()
    assert "待复核" in page and "************7777" in page and "6228480000007777" not in page
    assert "复核确认，启用新账户" not in page  # not offered to the proposer
    confirm = f"/registry/households/{h.pk}/account-changes/{change.pk}/confirm/"
    response = client.post(confirm, follow=True)
    assert "提交人不能确认自己提交的变更" in response.content.decode()
    assert Household.objects.get(pk=h.pk).bank_account == ""
    client.force_login(checker)
    listing = client.get("/registry/account-changes/").content.decode()
    assert "************7777" in listing and f"/registry/households/{h.pk}/edit/" in listing
    assert "复核确认，启用新账户" in client.get(edit).content.decode()
    assert client.post(confirm).status_code == 302
    assert Household.objects.get(pk=h.pk).bank_account == "6228480000007777"
    client.force_login(people.colleague)
    assert "************7777" not in client.get("/registry/account-changes/").content.decode()
    assert client.post(f"/registry/households/{h.pk}/account-changes/{change.pk}/reject/").status_code == 404


def test_a_review_note_longer_than_kept_is_refused_and_nothing_is_decided(client, tree, people, checker):
    h = f.household(tree.village_a)
    change = _propose(people.owner, h)
    client.force_login(checker)
    for decision in ("confirm", "reject"):
        url = f"/registry/households/{h.pk}/account-changes/{change.pk}/{decision}/"
        response = client.post(url, {"note": "意" * 501}, follow=True)
        assert response.status_code == 200 and "复核意见不能超过 500 个字" in response.content.decode()
        change.refresh_from_db()
        assert change.status == "pending" and change.note == ""
    assert Household.objects.get(pk=h.pk).bank_account == ""
    client.post(f"/registry/households/{h.pk}/account-changes/{change.pk}/confirm/", {"note": "意" * 500})
    change.refresh_from_db()
    assert change.status == "confirmed" and change.note == "意" * 500
