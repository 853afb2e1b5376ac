"""Acceptance: twelve monthly payrolls for a county, reconciled to the fen against an independent computation.

Standards change in July (a dated admin value), a gradual exit ends in April, a 特困 person dies in August and is
not paid from that month, a late decision gets back pay, and a payment that bounced in May is re-issued."""

from __future__ import annotations

import csv
import datetime as dt
import io

from doudi.benefits.models import Entitlement
from doudi.payments import bankfiles
from doudi.payments.generation import payroll_generate
from doudi.payments.models import Payroll, PayrollLine
from doudi.payments.services import payroll_create, payroll_transition, reissue_failed
from doudi.policy.services import policy_value_create
from doudi.registry.models import Membership
from tests import factories as f
from tests.payments.conftest import M, dibao


def std(area, m):  # national illustrative standards; rural raised to 800 from July (added below)
    return 900 if area == "urban" else (800 if m >= 7 else 700)


def expected_for(m):
    """Yuan, computed by hand from the policy, independently of the payroll code."""
    a = std("rural", m) * 3 - 600  # A: 3 members, 600 countable income
    b = std("urban", m) * 2 - 300  # B: 2 members
    c = 400 if m <= 4 else 0  # C: grace at 400 through April
    d = 0 if m >= 8 else (round(std("rural", m) * 1.3) + round(1800 * 0.65))  # D: 特困, dies in August
    e = (std("rural", m) * 1 - 100) if m >= 2 else 0  # E: start Feb, decided in April → back pay Feb, Mar
    return a + b + c + d + e


def _return(content: bytes, fail: set[str]) -> bytes:
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(bankfiles.RETURN_HEADER)
    for r in csv.DictReader(io.StringIO(content.decode("utf-8-sig"))):
        w.writerow([r["流水号"], r["账号"], r["金额"], "失败" if r["流水号"] in fail else "成功", "户名不符"])
    return out.getvalue().encode()


def test_twelve_months_reconcile_to_the_fen(tree, people, hh):
    maker, checker = people.county, f.user("county2", (tree.county, "civil_affairs"))
    policy_value_create(actor=None, profile="national", key="dibao.standard.rural", value=800,
                        valid_from=dt.date(2026, 7, 1), illustrative=True, note="验收测试：7月起提标")
    dibao(hh(tree.village_a), members=3, income_fen=60000)
    b = dibao(hh(tree.village_a2, members=2), members=2, income_fen=30000, area="urban")
    dibao(hh(tree.village_b), status="grace", grace_end_month=M(2026, 4), monthly_fen=40000)
    solo = hh(tree.village_b, members=1)
    person = Membership.objects.get(household=solo).person
    person.date_of_death = dt.date(2026, 8, 3)
    person.save()
    solo.bank_account, solo.bank_name, solo.account_holder = "6210001", "信用社", person.name
    solo.save()
    Entitlement.objects.create(household=solo, person=person, program="dibao", monthly_fen=0, covered_members=1,
                               start_month=M(2026, 1), basis_area="rural", basis_members=1, basis_income_fen=0)
    # D is 特困 — a separate program; its payroll runs alongside.
    Entitlement.objects.filter(household=solo).update(program="tekun", basis_care_level="complete")
    e_household = hh(tree.village_a, members=1)
    paid_by_month = {}
    for m in range(1, 13):
        if m == 4:  # decided in April, payable from February
            dibao(e_household, members=1, income_fen=10000, start=M(2026, 2))
        for program in ("dibao", "tekun"):
            p = payroll_create(actor=maker, region_code=tree.county.code, program=program, month=M(2026, m))
            payroll_generate(payroll_id=p.pk, actor=maker)
            payroll_transition(actor=checker, payroll_id=p.pk, to="reviewed")
            payroll_transition(actor=f.partner(checker), payroll_id=p.pk, to="approved")
            _n, content = bankfiles.export_bank_file(actor=maker, payroll_id=p.pk)
            fail = set()
            if m == 5 and program == "dibao":
                fail = {PayrollLine.objects.get(payroll=p, entitlement=b).reference}
            rec = bankfiles.import_bank_return(actor=maker, payroll_id=p.pk, content=_return(content, fail),
                                               filename="ret.csv")
            assert rec.balanced
            if fail:
                b.household.bank_account = "6228480000000001"
                b.household.save()
                supp = reissue_failed(actor=maker, payroll_id=p.pk)
                payroll_transition(actor=checker, payroll_id=supp.pk, to="reviewed")
                payroll_transition(actor=f.partner(checker), payroll_id=supp.pk, to="approved")
                _n, c2 = bankfiles.export_bank_file(actor=maker, payroll_id=supp.pk)
                bankfiles.import_bank_return(actor=maker, payroll_id=supp.pk, content=_return(c2, set()),
                                             filename="ret2.csv")
    for ln in PayrollLine.objects.filter(status="paid"):
        paid_by_month[ln.month.month] = paid_by_month.get(ln.month.month, 0) + ln.amount_fen
    for m in range(1, 13):
        assert paid_by_month.get(m, 0) == expected_for(m) * 100, m
    assert sum(paid_by_month.values()) == sum(expected_for(m) for m in range(1, 13)) * 100
    assert set(Payroll.objects.values_list("status", flat=True)) == {"reconciled"}
    assert PayrollLine.objects.filter(kind="backpay").count() == 2
    assert not PayrollLine.objects.filter(person=person, month__gte=M(2026, 8)).exists()
    assert PayrollLine.objects.filter(entitlement=b, month=M(2026, 5), status="paid").count() == 1
