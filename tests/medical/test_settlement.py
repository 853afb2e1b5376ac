"""Medical aid paid to the person or settled to the hospital (一站式结算): a settlement payroll per institution and
month through the same machinery (maker ≠ reviewer ≠ approver, bank file to the institution's account), and the
medical payroll's queries bounded per chunk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doudi.benefits.models import Entitlement
from doudi.core.errors import PermissionDenied
from doudi.medical import payroll as medical_payroll_module
from doudi.medical.models import MedicalClaim
from doudi.medical.payroll import medical_payroll, medical_settlement
from doudi.medical.services import ClaimError, claim_approve, claim_create, claims_evaluate
from doudi.payments.bankfiles import export_rows
from doudi.payments.models import PayrollLine
from doudi.payments.payees import PayeeError, institution_account_confirm, institution_create
from doudi.payments.services import payroll_transition
from tests import factories as f

DAY = dt.date(2026, 3, 10)
APRIL = dt.date(2026, 4, 1)


@pytest.fixture
def hulunbuir(tree):
    tree.city.profile = "hulunbuir"
    tree.city.save()
    return tree


def _tekun_people(tree, n):
    out = []
    for _ in range(n):
        hh = f.household(tree.village_a, members=1)
        hh.bank_name, hh.bank_account, hh.account_holder = "信用社", "6221000001", "户主"
        hh.save()
        person = hh.memberships.get().person
        Entitlement.objects.create(household=hh, person=person, program="tekun", monthly_fen=150_000,
                                   start_month=dt.date(2025, 1, 1))
        out.append(person)
    return out


def _approved(people, persons, hospital, payee, approver):
    claims = [claim_create(actor=people.owner, person=p, kind="inpatient", claim_date=DAY, oop_fen=100_000,
                           hospital=hospital) for p in persons]
    claims_evaluate(actor=people.owner, claim_ids=[c.pk for c in claims])
    return [claim_approve(actor=approver, claim=c, payee=payee) for c in claims]


def test_settled_to_the_hospital_through_its_own_payroll_and_the_three_people(hulunbuir, people):
    a, b, c = _tekun_people(hulunbuir, 3)
    with pytest.raises(PayeeError, match="账号"):
        institution_create(actor=people.county, region_code=hulunbuir.county.code, name="市人民医院",
                           bank_name="工商银行", bank_account="12ab")
    inst = institution_create(actor=people.county, region_code=hulunbuir.county.code, name="市人民医院",
                              bank_name="工商银行", bank_account="9558800001", account_holder="市人民医院")
    # the hospital must be registered with its account before anything is settled to it
    claim = claim_create(actor=people.owner, person=c, kind="inpatient", claim_date=DAY, oop_fen=1_000,
                         hospital="未登记医院")
    claims_evaluate(actor=people.owner, claim_ids=[claim.pk])
    with pytest.raises(ClaimError, match="未登记收款账户"):
        claim_approve(actor=people.county, claim=claim, payee="institution")
    _approved(people, [a, b], "市人民医院", "institution", people.county)
    _approved(people, [c], "市人民医院", "person", people.county)  # the same hospital, paid to the person
    # the account one person registered is not paid until a second person confirms it (issue 9)
    with pytest.raises(ClaimError, match="收款账户尚未经另一名工作人员复核确认"):
        medical_settlement(actor=people.county, region_code=hulunbuir.county.code, institution=inst, month=APRIL)
    institution_account_confirm(actor=f.user("checker2", (hulunbuir.county, "civil_affairs")), institution=inst,
                                change_id=inst.account_changes.get().pk)
    settlement = medical_settlement(actor=people.county, region_code=hulunbuir.county.code, institution=inst,
                                    month=APRIL)
    lines = list(PayrollLine.objects.filter(payroll=settlement))
    assert {ln.person_id for ln in lines} == {a.pk, b.pk} and {ln.kind for ln in lines} == {"settlement"}
    assert {(ln.bank_account, ln.account_holder) for ln in lines} == {("9558800001", "市人民医院")}
    assert settlement.institution == inst and settlement.total_fen == 200_000  # 特困: in full
    # the person-paid claim goes to the household's account on the ordinary medical payroll, not here
    personal = medical_payroll(actor=people.county, region_code=hulunbuir.county.code, month=APRIL)
    assert [(ln.person_id, ln.bank_account) for ln in personal.lines.all()] == [(c.pk, "6221000001")]
    # once only: again adds nothing
    again = medical_settlement(actor=people.county, region_code=hulunbuir.county.code, institution=inst, month=APRIL)
    assert again.pk == settlement.pk and again.total_fen == 200_000
    # maker ≠ reviewer ≠ approver, then the bank file pays the institution
    with pytest.raises(PermissionDenied):
        payroll_transition(actor=people.county, payroll_id=settlement.pk, to="reviewed")
    reviewer = f.user("checker3", (hulunbuir.county, "civil_affairs"))
    approver = f.user("checker4", (hulunbuir.county, "civil_affairs"))
    payroll_transition(actor=reviewer, payroll_id=settlement.pk, to="reviewed")
    with pytest.raises(PermissionDenied):
        payroll_transition(actor=reviewer, payroll_id=settlement.pk, to="approved")
    payroll_transition(actor=approver, payroll_id=settlement.pk, to="approved")
    settlement.refresh_from_db()
    rows = export_rows(settlement)
    assert [(r[1], r[2], r[4]) for r in rows] == [("市人民医院", "9558800001", "1000.00")] * 2
    assert "医疗机构结算" in rows[0][5]
    assert set(MedicalClaim.objects.filter(payee="institution", status="paid")
               .values_list("payroll_line__payroll_id", flat=True)) == {settlement.pk}


def test_an_institution_of_another_area_is_not_found(hulunbuir, people):
    from doudi.core.errors import NotFoundOrForbidden

    inst = institution_create(actor=people.owner, region_code=hulunbuir.town_a.code, name="甲镇卫生院",
                              bank_name="信用社", bank_account="62210000099")
    with pytest.raises(NotFoundOrForbidden):
        medical_settlement(actor=people.colleague, region_code=hulunbuir.town_b.code, institution=inst, month=APRIL)


def _count(people, tree, n, monkeypatch, month):
    persons = _tekun_people(tree, n)
    _approved(people, persons, "", "person", people.county)
    monkeypatch.setattr(medical_payroll_module, "CHUNK", 100)
    with CaptureQueriesContext(connection) as ctx:
        p = medical_payroll(actor=people.county, region_code=tree.county.code, month=month)
    assert p.line_count == n
    return len(ctx.captured_queries)


def test_the_payroll_takes_a_fixed_number_of_queries_per_chunk(hulunbuir, people, monkeypatch):
    few = _count(people, hulunbuir, 2, monkeypatch, APRIL)
    many = _count(people, hulunbuir, 12, monkeypatch, dt.date(2026, 5, 1))  # new persons, next month
    assert many == few, (few, many)  # not ~4 per person any more
    assert few <= 20
