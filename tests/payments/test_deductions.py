"""Recovery deductions recorded as "deduction" are applied by the payroll (issue 8 item 2)."""

from __future__ import annotations

import pytest

from doudi.payments.deductions import remaining
from doudi.payments.generation import payroll_generate
from doudi.payments.models import Deduction, PayrollLine
from doudi.payments.services import payroll_create, payroll_reset
from doudi.reviews.errors import ReviewError
from doudi.reviews.models import Overpayment
from doudi.reviews.services import deduction_settle, recovery_by_deduction, recovery_record
from tests.payments.conftest import M, dibao


def run(actor, region, month):
    p = payroll_create(actor=actor, region_code=region.code, program="dibao", month=month)
    return payroll_generate(payroll_id=p.pk, actor=actor)


def test_payroll_withholds_up_to_the_monthly_maximum_until_the_balance_is_gone(tree, people, hh):
    ent = dibao(hh(), income_fen=60000)  # 700 × 3 − 600 = 1 500 yuan a month
    op = Overpayment.objects.create(household=ent.household, entitlement=ent, reason="concealed_income",
                                    should_stop_on=M(2025, 12), from_month=M(2025, 12), amount_fen=120000)
    with pytest.raises(ReviewError, match="发放名册"):
        recovery_record(actor=people.owner, overpayment=op, amount_fen=1000, received_on=M(2026, 1),
                        method="deduction")
    recovery_by_deduction(actor=people.owner, overpayment=op, monthly_max_fen=50000)
    d = Deduction.objects.get()
    amounts = []
    for m in (1, 2, 3, 4):
        run(people.owner, tree.town_a, M(2026, m))
        line = PayrollLine.objects.get(entitlement=ent, month=M(2026, m))
        amounts.append((line.amount_fen, line.deducted_fen))
    assert amounts == [(100000, 50000), (100000, 50000), (130000, 20000), (150000, 0)]
    assert remaining(d) == 0
    # a reset draft gives the withheld money back to the deduction
    april = PayrollLine.objects.get(entitlement=ent, month=M(2026, 3)).payroll
    payroll_reset(actor=people.owner, payroll_id=april.pk)
    assert remaining(d) == 20000
    payroll_generate(payroll_id=april.pk)
    assert remaining(d) == 0


def test_settled_deductions_are_booked_once(tree, people, hh):
    ent = dibao(hh(), income_fen=60000)
    op = Overpayment.objects.create(household=ent.household, entitlement=ent, reason="concealed_income",
                                    should_stop_on=M(2025, 12), from_month=M(2025, 12), amount_fen=30000)
    recovery_by_deduction(actor=people.owner, overpayment=op, monthly_max_fen=50000)
    run(people.owner, tree.town_a, M(2026, 1))
    PayrollLine.objects.filter(entitlement=ent).update(status="paid")
    for _ in range(2):
        op = deduction_settle(actor=people.owner, overpayment=op)
    assert (op.recovered_fen, op.status, op.recoveries.count()) == (30000, "recovered", 1)


def _approve(tree, checker, payroll):
    from doudi.payments.services import payroll_transition
    from tests import factories as f

    payroll_transition(actor=checker, payroll_id=payroll.pk, to="reviewed")
    payroll_transition(actor=f.user("approver", (tree.county, "civil_affairs")), payroll_id=payroll.pk,
                       to="approved")


def test_a_held_line_paid_through_its_reissue_settles_its_deduction_once(tree, people, hh, checker):
    from doudi.payments import holds

    ent = dibao(hh(), income_fen=60000)  # 1 500 yuan a month
    ent.household.bank_account = ""
    ent.household.save()
    op = Overpayment.objects.create(household=ent.household, entitlement=ent, reason="concealed_income",
                                    should_stop_on=M(2025, 12), from_month=M(2025, 12), amount_fen=30000)
    recovery_by_deduction(actor=people.owner, overpayment=op, monthly_max_fen=50000)
    d = Deduction.objects.get()
    p = run(people.owner, tree.town_a, M(2026, 1))
    held = PayrollLine.objects.get(entitlement=ent)
    assert (held.status, held.amount_fen, held.deducted_fen) == ("held", 120000, 30000)
    _approve(tree, checker, p)
    ent.household.bank_account = "6228000099990001"
    ent.household.save()
    supp = holds.payroll_release_held(actor=people.owner, payroll_id=p.pk)
    line = supp.lines.get()
    assert (line.amount_fen, line.deducted_fen, line.deduction_id) == (120000, 30000, d.pk)
    assert remaining(d) == 0  # the reissue does not withhold a second time
    line.status = "paid"
    line.save()
    op = deduction_settle(actor=people.owner, overpayment=op)
    assert (op.recovered_fen, op.status) == (30000, "recovered")


def test_a_wholly_withheld_line_without_an_account_does_not_stop_the_bank_file(tree, people, hh, checker):
    from doudi.payments import bankfiles

    ok, ent = dibao(hh()), dibao(hh(), income_fen=60000)
    ent.household.bank_account = ""
    ent.household.save()
    op = Overpayment.objects.create(household=ent.household, entitlement=ent, reason="concealed_income",
                                    should_stop_on=M(2025, 12), from_month=M(2025, 12), amount_fen=300000)
    recovery_by_deduction(actor=people.owner, overpayment=op, monthly_max_fen=200000)
    p = run(people.owner, tree.town_a, M(2026, 1))
    line = PayrollLine.objects.get(entitlement=ent)
    assert (line.status, line.amount_fen, line.deducted_fen) == ("paid", 0, 150000)
    _approve(tree, checker, p)
    _name, content = bankfiles.export_bank_file(actor=people.owner, payroll_id=p.pk)
    rows = content.decode("utf-8-sig").strip().splitlines()[1:]
    assert len(rows) == 1 and PayrollLine.objects.get(entitlement=ok).reference in rows[0]


def test_cancelling_a_deduction_needs_a_second_person_and_stops_the_withholding(tree, people, hh):
    from doudi.payments.deductions import DeductionError, deduction_cancel

    ent = dibao(hh(), income_fen=60000)  # 1 500 yuan a month
    op = Overpayment.objects.create(household=ent.household, entitlement=ent, reason="concealed_income",
                                    should_stop_on=M(2025, 12), from_month=M(2025, 12), amount_fen=120000)
    recovery_by_deduction(actor=people.owner, overpayment=op, monthly_max_fen=50000)
    d = Deduction.objects.get()
    run(people.owner, tree.town_a, M(2026, 1))
    with pytest.raises(DeductionError) as exc:  # the one who scheduled it cannot cancel it
        deduction_cancel(actor=people.owner, deduction=d, reason="误扣")
    assert exc.value.code == "same_person"
    with pytest.raises(DeductionError, match="理由"):
        deduction_cancel(actor=people.county, deduction=d, reason=" ")
    deduction_cancel(actor=people.county, deduction=d, reason="家庭困难，改为分期退还")
    d.refresh_from_db()
    assert d.cancelled and d.cancelled_by == people.county and remaining(d) == 0
    run(people.owner, tree.town_a, M(2026, 2))
    line = PayrollLine.objects.get(entitlement=ent, month=M(2026, 2))
    assert (line.amount_fen, line.deducted_fen) == (150000, 0)  # nothing withheld after the cancellation
    assert PayrollLine.objects.get(entitlement=ent, month=M(2026, 1)).deducted_fen == 50000  # what was, stays


def test_a_waived_ledger_withholds_nothing_more(tree, people, hh):
    from doudi.reviews.services import overpayment_waive

    ent = dibao(hh(), income_fen=60000)
    op = Overpayment.objects.create(household=ent.household, entitlement=ent, reason="concealed_income",
                                    should_stop_on=M(2025, 12), from_month=M(2025, 12), amount_fen=120000)
    recovery_by_deduction(actor=people.owner, overpayment=op, monthly_max_fen=50000)
    overpayment_waive(actor=people.county, overpayment=op, reason="本人死亡无可追回")
    assert Deduction.objects.get().cancelled
    run(people.owner, tree.town_a, M(2026, 1))
    assert PayrollLine.objects.get(entitlement=ent, month=M(2026, 1)).deducted_fen == 0


def test_the_ledger_page_cancels_a_deduction(client, tree, people, hh):
    ent = dibao(hh(), income_fen=60000)
    op = Overpayment.objects.create(household=ent.household, entitlement=ent, reason="concealed_income",
                                    should_stop_on=M(2025, 12), from_month=M(2025, 12), amount_fen=120000)
    recovery_by_deduction(actor=people.owner, overpayment=op, monthly_max_fen=50000)
    d = Deduction.objects.get()
    client.force_login(people.owner)
    page = client.get(f"/reviews/overpayments/{op.pk}/").content.decode()
    assert "撤销扣回" in page and "尚余 1,200.00 元" in page
    r = client.post(f"/reviews/overpayments/{op.pk}/", {"action": "cancel_deduction", "deduction": d.pk,
                                                         "reason": "x"}, follow=True)
    assert "双人审核" in r.content.decode() and not Deduction.objects.get().cancelled
    client.force_login(people.county)
    client.post(f"/reviews/overpayments/{op.pk}/", {"action": "cancel_deduction", "deduction": d.pk,
                                                     "reason": "改为分期退还"})
    assert Deduction.objects.get().cancelled
