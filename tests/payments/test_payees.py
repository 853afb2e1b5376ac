"""A payee institution's account takes two people (issue 9): registering a hospital only proposes its account; a
second person with change rights in the area confirms it (never the proposer, never a read-only role or another
area); a settlement payroll refuses the institution before that, and pays the confirmed account while a later change
waits for its second person. Every message in Chinese; the audit log never holds the account in clear."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps

from doudi.audit.models import AuditEvent
from doudi.benefits.models import Entitlement
from doudi.core.errors import NotFoundOrForbidden
from doudi.medical.payroll import medical_settlement
from doudi.medical.services import ClaimError, claim_approve, claim_create, claims_evaluate
from doudi.payments import payees
from doudi.payments.models import PayeeInstitution, PayrollLine
from doudi.registry.edits import Basis
from doudi.registry.services import RegistryError
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 10)
BASIS = Basis(effective_on=dt.date(2026, 3, 1), document="医院开户证明")
FIRST, SECOND = "9558800000000001", "9558800000000002"


@pytest.fixture
def hulunbuir(tree):
    tree.city.profile = "hulunbuir"
    tree.city.save()
    return tree


@pytest.fixture
def county_b(tree):
    return f.user("county_b", (tree.county, "civil_affairs"), display_name="区民政局复核员")


def _register(people, tree, account=FIRST):
    return payees.institution_create(actor=people.county, region_code=tree.county.code, name="市人民医院",
                                     bank_name="工商银行", bank_account=account, account_holder="市人民医院")


def _settled_claim(people, tree):
    hh = f.household(tree.village_a)
    person = hh.memberships.get().person
    Entitlement.objects.create(household=hh, person=person, program="tekun", monthly_fen=150_000,
                               start_month=dt.date(2025, 1, 1))
    claim = claim_create(actor=people.owner, person=person, kind="inpatient", claim_date=DAY, oop_fen=100_000,
                         hospital="市人民医院")
    claims_evaluate(actor=people.owner, claim_ids=[claim.pk])
    return claim_approve(actor=people.county, claim=claim, payee="institution")


def _settle(people, tree, inst, month):
    return medical_settlement(actor=people.county, region_code=tree.county.code, institution=inst, month=month)


def test_a_registered_account_is_only_proposed_and_nothing_is_settled_to_it_before_a_second_person(
        hulunbuir, people, county_b):
    inst = _register(people, hulunbuir)
    inst.refresh_from_db()
    assert (inst.bank_account, inst.account_confirmed_at, inst.account_confirmed) == ("", None, False)
    change = inst.account_changes.get()
    assert (change.status, change.bank_account, change.proposed_by) == ("pending", FIRST, people.county)
    claim = _settled_claim(people, hulunbuir)
    with pytest.raises(ClaimError, match="“市人民医院”的收款账户尚未经另一名工作人员复核确认，暂不能列入结算名册"):
        _settle(people, hulunbuir, inst, dt.date(2026, 4, 1))
    assert not PayrollLine.objects.exists()
    claim.refresh_from_db()
    assert (claim.status, claim.payroll_line_id) == ("approved", None)  # waits for the next settlement
    # the maker cannot confirm; a read-only auditor, another township and a township under the county cannot reach it
    with pytest.raises(RegistryError, match="另一名工作人员复核确认，提交人不能确认自己提交的变更"):
        payees.institution_account_confirm(actor=people.county, institution=inst, change_id=change.pk)
    for outsider in (people.auditor, people.colleague, people.owner, people.outsider):
        with pytest.raises(NotFoundOrForbidden, match="未找到该收款机构，或不在您的辖区内"):
            payees.institution_account_confirm(actor=outsider, institution=inst, change_id=change.pk)
    inst.refresh_from_db()
    assert inst.bank_account == "" and inst.account_changes.get().status == "pending"
    payees.institution_account_confirm(actor=county_b, institution=inst, change_id=change.pk, note="与开户证明一致")
    inst.refresh_from_db()
    assert (inst.bank_account, inst.account_confirmed_by, inst.account_confirmed) == (FIRST, county_b, True)
    settlement = _settle(people, hulunbuir, inst, dt.date(2026, 4, 1))
    assert [(ln.bank_account, ln.account_holder) for ln in settlement.lines.all()] == [(FIRST, "市人民医院")]
    event = AuditEvent.objects.get(object_type="payments.payeeinstitution", action="update")
    assert event.actor_id == county_b.pk and event.changes["bank_account"] == ["", "************0001"]
    assert FIRST not in str(list(AuditEvent.objects.values_list("changes", "reason", "object_repr")))


def test_a_later_change_waits_for_a_second_person_and_the_confirmed_account_is_paid_meanwhile(
        hulunbuir, people, county_b):
    inst = _register(people, hulunbuir)
    payees.institution_account_confirm(actor=county_b, institution=inst, change_id=inst.account_changes.get().pk)
    with pytest.raises(payees.PayeeError, match="没有需要更改的内容"):
        payees.institution_account_propose(actor=people.county, institution=inst, bank_name="工商银行",
                                           bank_account=FIRST, account_holder="市人民医院", basis=BASIS)
    with pytest.raises(payees.PayeeError, match="银行账号须为8至40位数字"):
        payees.institution_account_propose(actor=people.county, institution=inst, bank_name="工商银行",
                                           bank_account="12ab", account_holder="", basis=BASIS)
    with pytest.raises(NotFoundOrForbidden):
        payees.institution_account_propose(actor=people.auditor, institution=inst, bank_name="建设银行",
                                           bank_account=SECOND, account_holder="", basis=BASIS)
    change = payees.institution_account_propose(actor=people.county, institution=inst, bank_name="建设银行",
                                                bank_account=SECOND, account_holder="", basis=BASIS)
    assert change.account_holder == "市人民医院"  # the institution's name when left empty
    _settled_claim(people, hulunbuir)
    april = _settle(people, hulunbuir, inst, dt.date(2026, 4, 1))
    assert [ln.bank_account for ln in april.lines.all()] == [FIRST]  # unconfirmed change: the old account is paid
    with pytest.raises(RegistryError, match="提交人不能确认"):
        payees.institution_account_confirm(actor=people.county, institution=inst, change_id=change.pk)
    with pytest.raises(RegistryError, match="退回须填写理由"):
        payees.institution_account_reject(actor=county_b, institution=inst, change_id=change.pk, note=" ")
    payees.institution_account_confirm(actor=county_b, institution=inst, change_id=change.pk)
    with pytest.raises(RegistryError, match="该账户变更已处理"):
        payees.institution_account_confirm(actor=county_b, institution=inst, change_id=change.pk)
    _settled_claim(people, hulunbuir)
    may = _settle(people, hulunbuir, inst, dt.date(2026, 5, 1))
    assert [(ln.bank_name, ln.bank_account) for ln in may.lines.all()] == [("建设银行", SECOND)]
    assert {ln.bank_account for ln in april.lines.all()} == {FIRST}  # lines are snapshots


def test_a_returned_proposal_leaves_the_institution_unpayable(hulunbuir, people, county_b):
    inst = _register(people, hulunbuir)
    change = inst.account_changes.get()
    payees.institution_account_reject(actor=county_b, institution=inst, change_id=change.pk, note="户名与证明不符")
    change.refresh_from_db()
    inst.refresh_from_db()
    assert (change.status, change.decided_by, change.note) == ("rejected", county_b, "户名与证明不符")
    assert not inst.account_confirmed
    with pytest.raises(ClaimError, match="尚未经另一名工作人员复核确认"):
        _settle(people, hulunbuir, inst, dt.date(2026, 4, 1))


def test_institutions_registered_before_count_as_confirmed_from_their_registration(hulunbuir, people):
    legacy = PayeeInstitution.objects.create(region=hulunbuir.county, name="旧医院", bank_name="工商银行",
                                             bank_account=FIRST, account_holder="旧医院", created_by=people.county)
    blank = PayeeInstitution.objects.create(region=hulunbuir.county, name="无账户", created_by=people.county)
    migration = importlib.import_module("doudi.payments.migrations.0007_payee_account_two_people")
    migration.legacy_accounts_confirmed(django_apps, None)
    legacy.refresh_from_db()
    blank.refresh_from_db()
    assert legacy.account_confirmed_at == legacy.created_at and legacy.account_confirmed_by is None
    assert legacy.account_confirmed and not blank.account_confirmed


def test_the_institution_page_proposes_and_only_a_second_caseworker_confirms(client, tree, people):
    checker = f.user("checker", (tree.town_a, "township_caseworker"))
    client.force_login(people.owner)
    response = client.post("/medical/institutions/", {"region": tree.town_a.code, "name": "甲镇卫生院",
                                                      "bank_name": "信用社", "bank_account": "6221000000009999",
                                                      "document": "开户证明"}, follow=True)
    assert "收款账户须由另一名工作人员复核确认后方可结算" in response.content.decode()
    inst = PayeeInstitution.objects.get(name="甲镇卫生院")
    page = f"/medical/institutions/{inst.pk}/"
    html = client.get(page).content.decode()
    assert "尚无经复核的账户，暂不能结算" in html and "************9999" in html and "6221000000009999" not in html
    assert "复核确认，启用新账户" not in html  # not offered to the proposer
    change = inst.account_changes.get()
    confirm = f"{page}account-changes/{change.pk}/confirm/"
    assert "提交人不能确认自己提交的变更" in client.post(confirm, follow=True).content.decode()
    inst.refresh_from_db()
    assert not inst.account_confirmed
    bad = client.post(page, {"effective_on": "2026-03-01", "document": "", "bank_name": "信用社",
                             "bank_account": "12", "account_holder": ""})
    assert bad.status_code == 200 and "变更依据" in bad.content.decode()
    assert inst.account_changes.count() == 1
    for outsider in (people.auditor, people.colleague):  # read-only and another township: not found, nothing written
        client.force_login(outsider)
        assert client.get(page).status_code == 404
        assert client.post(confirm).status_code == 404
    client.force_login(checker)
    assert "复核确认，启用新账户" in client.get(page).content.decode()
    response = client.post(confirm, {"note": "核对无误"}, follow=True)
    assert "收款账户已复核生效" in response.content.decode()
    inst.refresh_from_db()
    assert (inst.bank_account, inst.account_confirmed_by) == ("6221000000009999", checker)
    listing = client.get("/medical/").content.decode()
    assert "甲镇卫生院" in listing and "************9999" in listing and "账户待复核" not in listing


def test_a_held_settlement_line_is_released_to_the_institution_not_the_household(hulunbuir, people, county_b):
    """Releasing a held line of a settlement payroll pays the institution's confirmed account (it took the
    household's before, a payment to the wrong payee)."""
    from doudi.payments.holds import payroll_release_held

    inst = _register(people, hulunbuir)
    payees.institution_account_confirm(actor=county_b, institution=inst, change_id=inst.account_changes.get().pk)
    claim = _settled_claim(people, hulunbuir)
    household = claim.household
    household.bank_name, household.bank_account, household.account_holder = "信用社", "6221000000000042", "户主"
    household.save()
    settlement = _settle(people, hulunbuir, inst, dt.date(2026, 4, 1))
    settlement.lines.update(status="held", bank_name="", bank_account="", account_holder="", fail_reason="缺少银行账号")
    payroll_release_held(actor=people.county, payroll_id=settlement.pk)
    (line,) = settlement.lines.all()
    assert (line.status, line.bank_name, line.bank_account, line.account_holder) == (
        "pending", "工商银行", FIRST, "市人民医院")
