"""The audit log never holds a full bank account or a resident ID in clear (issue 9): masked once, at the writer
(``audit.services.audit_record``), for every caller — at any depth of ``changes``, under any key that ends like a
masked field (a carer's or a payee's account), in texts. The scan creates and changes the three kinds of account
money is paid into (a carer's on a care agreement, a payee institution's, a household's) and reads every row."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from doudi.audit.models import AuditAction, AuditEvent
from doudi.audit.services import audit_record
from doudi.benefits.models import Entitlement
from doudi.care.choices import EndReason, SupportMode
from doudi.care.services.agreements import AgreementTerms, agreement_approve, agreement_sign, carer_replace
from doudi.care.services.arrangements import arrangement_create
from doudi.payments import payees
from doudi.registry import account_changes, edits
from tests import factories as f

pytestmark = pytest.mark.django_db

CARER, CARER_NEW = "6229400000000001", "6229400000000077"
PAYEE, PAYEE_NEW = "9558800000000001", "9558800000000002"
HOUSEHOLD = "6228480000007777"
BASIS = edits.Basis(effective_on=dt.date(2026, 1, 1), document="开户证明")


def _every_row() -> str:
    rows = AuditEvent.objects.values_list("changes", "reason", "object_repr")
    return "\n".join(json.dumps(list(row), ensure_ascii=False) for row in rows)


def test_no_audit_row_holds_a_full_account_or_a_resident_id(tree, people):
    checker = f.user("checker", (tree.town_a, "township_caseworker"))
    county_b = f.user("county_b", (tree.county, "civil_affairs"))
    household = f.household(tree.village_a)
    person = household.memberships.get().person
    Entitlement.objects.create(household=household, person=person, program="tekun", monthly_fen=120_000,
                               start_month=dt.date(2025, 1, 1))
    # a carer's account: signed, approved (the fee's entitlement takes it as payee), replaced by a new account
    arrangement = arrangement_create(actor=people.owner, person=person, mode=SupportMode.DISPERSED,
                                     chosen_mode=SupportMode.DISPERSED, start_date=dt.date(2026, 1, 1))
    terms = AgreementTerms(carer_kind="neighbour", carer_name="王邻居", duties="送餐", visits_per_month=20,
                           monthly_fee_fen=60_000, start_date=dt.date(2026, 1, 10), carer_bank_name="农村信用社",
                           carer_bank_account=CARER)
    first = agreement_approve(actor=checker, agreement=agreement_sign(actor=people.owner, arrangement=arrangement,
                                                                      terms=terms))
    new_account = AgreementTerms(**{**terms.__dict__, "carer_bank_account": CARER_NEW,
                                    "start_date": dt.date(2026, 3, 1)})
    second = carer_replace(actor=people.owner, agreement=first, ended_on=dt.date(2026, 2, 28), reason=EndReason.OTHER,
                           note="更换收款账户", terms=new_account)
    agreement_approve(actor=checker, agreement=second)
    # a payee institution's account: registered, confirmed, changed, confirmed
    inst = payees.institution_create(actor=people.county, region_code=tree.county.code, name="市人民医院",
                                     bank_name="工商银行", bank_account=PAYEE)
    payees.institution_account_confirm(actor=county_b, institution=inst, change_id=inst.account_changes.get().pk)
    change = payees.institution_account_propose(actor=people.county, institution=inst, bank_name="建设银行",
                                                bank_account=PAYEE_NEW, account_holder="", basis=BASIS)
    payees.institution_account_confirm(actor=county_b, institution=inst, change_id=change.pk)
    # a household's account: proposed, confirmed
    proposed = account_changes.account_change_propose(
        actor=people.owner, household=household, basis=BASIS,
        change=edits.AccountChange(bank_name="中国农业银行", bank_account=HOUSEHOLD, account_holder="户主"))
    account_changes.account_change_confirm(actor=checker, household=household, change_id=proposed.pk)
    # the changes happened (the accounts are stored in full where the payroll reads them) ...
    household.refresh_from_db()
    inst.refresh_from_db()
    second.refresh_from_db()
    assert (household.bank_account, inst.bank_account) == (HOUSEHOLD, PAYEE_NEW)
    assert Entitlement.objects.get(pk=second.entitlement_id).payee_bank_account == CARER_NEW
    # ... and were audited: agreements, entitlements, institutions, changes, households
    types = set(AuditEvent.objects.values_list("object_type", flat=True))
    assert {"care.careagreement", "benefits.entitlement", "payments.payeeinstitution", "payments.payeeaccountchange",
            "registry.bankaccountchange", "registry.household"} <= types
    logged = _every_row()
    for number in (CARER, CARER_NEW, PAYEE, PAYEE_NEW, HOUSEHOLD, person.id_number):
        assert number not in logged, number
    # the masked form stays readable: the last four digits of the carer's account on the agreement's snapshot
    snap = AuditEvent.objects.filter(object_type="care.careagreement", action=AuditAction.CREATE).first().changes
    assert snap["carer_bank_account"] == "***" and snap["carer_name"] == "王邻居"


def test_the_writer_masks_nested_values_under_any_account_or_id_key(tree, people):
    person_id = f.make_id()
    event = audit_record(actor=people.owner, action=AuditAction.UPDATE, region_code=tree.town_a.code,
                         object_type="test.thing", object_id=1, reason=f"核对 {person_id}",
                         changes={"lines": [{"payee_bank_account": "6222000011112222", "amount": 100}],
                                  "before": {"person": {"relative_id_number": person_id, "name": "张三"}},
                                  "carer_bank_account": ["6229400000000001", "************0002"],
                                  "bank_account": "***6229400000000003",
                                  "note": f"身份证 {person_id}"})
    event.refresh_from_db()
    text = json.dumps([event.changes, event.reason], ensure_ascii=False)
    for number in ("6222000011112222", "6229400000000001", "6229400000000003", person_id):
        assert number not in text, number
    assert event.changes["lines"] == [{"payee_bank_account": "***", "amount": 100}]
    assert event.changes["carer_bank_account"] == ["***", "************0002"]  # a masked value stays as it is
    assert event.changes["bank_account"] == "***"  # "***" followed by the full number is not masked
    assert event.changes["before"]["person"] == {"relative_id_number": "***", "name": "张三"}
