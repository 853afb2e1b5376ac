"""Overpayment recovery: computed from what payroll lines actually paid after the benefit should have stopped."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.core.errors import NotFoundOrForbidden
from doudi.registry.services import person_record_death
from doudi.reviews.errors import ReviewError
from doudi.reviews.services import fine_record, overpayment_create, overpayment_waive, recovery_record
from tests.reviews.conftest import entitlement, members, pay

M = lambda m: dt.date(2026, m, 1)  # noqa: E731


@pytest.fixture
def tekun_paid_after_death(tree, people, one):
    person = members(one)[0]
    ent = entitlement(one, "tekun", person=person, monthly_fen=90_000, start=dt.date(2025, 10, 1))
    pay(ent, [M(1), M(2), M(3), M(4), M(5)])
    pay(ent, [M(6)], status="failed")  # the bank returned it: nothing was paid
    # The death is registered late: the person died on 20 March.
    person_record_death(actor=people.owner, person=person, date_of_death=dt.date(2026, 3, 20))
    return ent


def test_overpayment_after_death_from_actual_payroll_lines(people, tekun_paid_after_death):
    op = overpayment_create(actor=people.owner, entitlement=tekun_paid_after_death, reason="death",
                            should_stop_on=dt.date(2026, 3, 20))
    # Not payable from the month of death (docs/payroll.md): March, April, May paid; June failed.
    assert op.months == ["2026-03", "2026-04", "2026-05"]
    assert op.amount_fen == 270_000 and op.balance_fen == 270_000 and op.status == "open"
    again = overpayment_create(actor=people.owner, entitlement=tekun_paid_after_death, reason="death",
                               should_stop_on=dt.date(2026, 3, 20))
    assert again.pk == op.pk


def test_concealed_income_counts_the_difference(people, one):
    ent = entitlement(one, monthly_fen=60_000, start=dt.date(2025, 10, 1))
    pay(ent, [M(1), M(2), M(3)])
    op = overpayment_create(actor=people.owner, entitlement=ent, reason="concealed_income",
                            should_stop_on=dt.date(2026, 1, 10), due_monthly_fen=20_000)
    assert op.months == ["2026-02", "2026-03"] and op.amount_fen == 80_000


def test_recoveries_reduce_the_balance_to_zero(people, tekun_paid_after_death):
    op = overpayment_create(actor=people.owner, entitlement=tekun_paid_after_death, reason="death",
                            should_stop_on=dt.date(2026, 3, 20))
    recovery_record(actor=people.owner, overpayment=op, amount_fen=100_000, received_on=dt.date(2026, 6, 1),
                    method="cash")
    op.refresh_from_db()
    assert (op.balance_fen, op.status) == (170_000, "partial")
    with pytest.raises(ReviewError) as exc:
        recovery_record(actor=people.owner, overpayment=op, amount_fen=170_001, received_on=dt.date(2026, 6, 2),
                        method="cash")
    assert exc.value.code == "over_balance"
    recovery_record(actor=people.owner, overpayment=op, amount_fen=170_000, received_on=dt.date(2026, 6, 2),
                    method="transfer")
    op.refresh_from_db()
    assert (op.balance_fen, op.status, op.recoveries.count()) == (0, "recovered", 2)


def test_fine_between_one_and_three_times(people, tekun_paid_after_death):
    op = overpayment_create(actor=people.owner, entitlement=tekun_paid_after_death, reason="false_report",
                            should_stop_on=dt.date(2026, 3, 20), from_month=M(3))
    with pytest.raises(ReviewError):
        fine_record(actor=people.owner, overpayment=op, fine_fen=op.amount_fen * 3 + 1, decision_ref="民罚〔2026〕1号",
                    decided_on=dt.date(2026, 7, 1))
    op = fine_record(actor=people.owner, overpayment=op, fine_fen=op.amount_fen * 2, decision_ref="民罚〔2026〕1号",
                     decided_on=dt.date(2026, 7, 1))
    assert op.fine_fen == 540_000 and op.balance_fen == 270_000  # the fine is separate from the repayment


def test_waiver_needs_approval_and_scope(tree, people, tekun_paid_after_death):
    from tests import factories as f

    op = overpayment_create(actor=people.owner, entitlement=tekun_paid_after_death, reason="death",
                            should_stop_on=dt.date(2026, 3, 20))
    assistant = f.user("va", (tree.village_a, "village_assistant"))
    with pytest.raises(NotFoundOrForbidden):
        overpayment_waive(actor=assistant, overpayment=op, reason="家庭确无偿还能力")
    with pytest.raises(NotFoundOrForbidden):
        overpayment_waive(actor=people.colleague, overpayment=op, reason="家庭确无偿还能力")
    op = overpayment_waive(actor=people.county, overpayment=op, reason="家庭确无偿还能力")
    assert (op.status, op.balance_fen, op.waiver_approved_by_id) == ("waived", 0, people.county.pk)


def test_nothing_paid_nothing_to_recover(people, one):
    ent = entitlement(one)
    with pytest.raises(ReviewError) as exc:
        overpayment_create(actor=people.owner, entitlement=ent, reason="death", should_stop_on=dt.date(2026, 3, 1))
    assert exc.value.code == "nothing_overpaid"
