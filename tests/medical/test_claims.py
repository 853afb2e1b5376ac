"""Medical assistance (issue 8 item 6): claims per covered person, entered or imported from a settlement file, the
engine's amount with the annual cap per person and kind, a second approver, and payment through a payroll."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.benefits.models import Entitlement
from doudi.medical.exchange import claims_import
from doudi.medical.models import MedicalClaim
from doudi.medical.payroll import medical_payroll
from doudi.medical.services import ClaimError, claim_approve, claim_create, claims_evaluate
from doudi.payments.bankfiles import export_rows
from doudi.payments.models import PayrollLine
from tests import factories as f

DAY = dt.date(2026, 3, 10)


@pytest.fixture
def hulunbuir(tree):
    tree.city.profile = "hulunbuir"  # 低保 outpatient 70 % within 10 000 yuan a year; 特困 in full ([000] 三(三)1)
    tree.city.save()
    return tree


@pytest.fixture
def recipients(hulunbuir):
    hh = f.household(hulunbuir.village_a, members=2)
    hh.bank_name, hh.bank_account, hh.account_holder = "信用社", "6221000001", "户主"
    hh.save()
    a, b = [m.person for m in hh.memberships.order_by("id")]
    Entitlement.objects.create(household=hh, person=a, program="tekun", monthly_fen=150_000,
                               start_month=dt.date(2025, 1, 1))
    other = f.household(hulunbuir.village_a, members=1)
    c = other.memberships.get().person
    Entitlement.objects.create(household=other, program="dibao", monthly_fen=70_000, start_month=dt.date(2025, 1, 1))
    return a, b, c


def test_engine_amounts_with_the_annual_cap_per_person_then_maker_checker_and_payroll(hulunbuir, people,
                                                                                     recipients):
    tekun_person, uncovered, dibao_person = recipients
    checker = f.user("checker2", (hulunbuir.county, "civil_affairs"))
    claims = [claim_create(actor=people.owner, person=p, kind="outpatient_chronic", claim_date=DAY, oop_fen=oop)
              for p, oop in ((tekun_person, 123_456), (uncovered, 50_000), (dibao_person, 800_000),
                             (dibao_person, 800_000))]
    claims_evaluate(actor=people.owner, claim_ids=[c.pk for c in claims])
    got = {c.pk: (c.category, c.payable_fen, c.capped) for c in MedicalClaim.objects.all()}
    assert got[claims[0].pk] == ("tekun", 123_500, False)  # in full, to the yuan half up
    assert got[claims[1].pk] == ("", 0, False)  # not covered by any program
    assert got[claims[2].pk] == ("dibao", 560_000, False)  # 70 % of 8 000
    assert got[claims[3].pk] == ("dibao", 440_000, True)  # what is left of the 10 000 yuan cap
    claim_approve(actor=people.county, claim=claims[0])  # a second person approves
    with pytest.raises(ClaimError) as exc:  # never the one who entered it
        claim_approve(actor=people.owner, claim=claims[2])
    assert exc.value.code == "same_person"
    for c in (claims[2], claims[3]):
        claim_approve(actor=checker, claim=c)
    payroll = medical_payroll(actor=people.county, region_code=hulunbuir.county.code, month=dt.date(2026, 4, 1))
    lines = list(PayrollLine.objects.filter(payroll=payroll))
    assert {(ln.person_id, ln.amount_fen) for ln in lines} == {(tekun_person.pk, 123_500),
                                                               (dibao_person.pk, 1_000_000)}
    assert payroll.total_fen == 1_123_500 and payroll.program == "medical"
    assert set(MedicalClaim.objects.filter(payroll_line__isnull=False).values_list("status", flat=True)) == {"paid"}
    assert medical_payroll(actor=people.county, region_code=hulunbuir.county.code,
                           month=dt.date(2026, 4, 1)).total_fen == 1_123_500  # again: nothing twice
    payroll.status = "approved"
    payroll.save()
    assert len(export_rows(payroll)) == 2


def test_settlement_file_import_is_all_or_nothing_and_once(hulunbuir, people, recipients):
    tekun_person, _u, _d = recipients
    good = ("结算单号,身份证号,类别,结算日期,医疗机构,个人自付金额\n"
            f"JS001,{tekun_person.id_number},住院,2026-03-01,市人民医院,1200.50\n").encode()
    assert claims_import(actor=people.owner, content=good, filename="s.csv")["added"] == 1
    assert claims_import(actor=people.owner, content=good, filename="s.csv") == {"added": 0, "skipped": 1,
                                                                                 "file": "s.csv"}
    bad = good + "JS002,110101190001011234,住院,2026-03-02,市人民医院,10\n".encode()
    with pytest.raises(ClaimError, match="第3行"):
        claims_import(actor=people.owner, content=bad.replace(b"JS001", b"JS009"), filename="s.csv")
    assert MedicalClaim.objects.count() == 1
    claim = MedicalClaim.objects.get()
    assert (claim.kind, claim.oop_fen, claim.source) == ("inpatient", 120_050, "imported")


def test_out_of_area_person_is_not_found(hulunbuir, people, recipients):
    from doudi.core.errors import NotFoundOrForbidden

    with pytest.raises(NotFoundOrForbidden):
        claim_create(actor=people.colleague, person=recipients[0], kind="inpatient", claim_date=DAY, oop_fen=100)


def test_claims_screen(client, hulunbuir, people, recipients):
    client.force_login(people.owner)
    r = client.post("/medical/add/", {"id_number": recipients[0].id_number, "kind": "inpatient",
                                      "claim_date": DAY.isoformat(), "hospital": "市医院", "oop": "300"})
    assert r.status_code == 302 and MedicalClaim.objects.count() == 1
    client.post("/medical/evaluate/")
    page = client.get("/medical/").content.decode()
    assert "医疗救助结算" in page and "300.00" in page and "已测算待审批" in page
    r = client.post("/medical/add/", {"id_number": "110101190001011234", "kind": "inpatient",
                                      "claim_date": DAY.isoformat(), "oop": "1"}, follow=True)
    assert "没有该身份证号" in r.content.decode()
