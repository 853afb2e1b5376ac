"""Monthly amounts: recompute from the stored basis under the parameters of the month paid."""

from __future__ import annotations

import datetime as dt

from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine
from doudi.payments.services import payroll_create
from doudi.policy.services import policy_value_create
from doudi.registry.models import Membership
from tests.payments.conftest import M, dibao


def run(actor, region, month, program="dibao"):
    p = payroll_create(actor=actor, region_code=region.code, program=program, month=month)
    return payroll_generate(payroll_id=p.pk, actor=actor)


def test_gap_amount_half_up_and_idempotent(tree, people, hh):
    # national illustrative rural standard 700 × 3 − 600.50 = 1 499.50 → 1 500 (half up, not to even)
    ent = dibao(hh(), income_fen=60050)
    p = run(people.owner, tree.town_a, M(2026, 1))
    assert (p.line_count, p.total_fen) == (1, 150000)
    again = payroll_generate(payroll_id=p.pk)
    assert again.line_count == 1 and PayrollLine.objects.filter(entitlement=ent).count() == 1
    assert p.done_count == p.total_count == 1


def test_new_standard_applies_from_its_own_date(tree, people, hh):
    ent = dibao(hh())
    policy_value_create(actor=None, profile="national", key="dibao.standard.rural", value=800,
                        valid_from=dt.date(2026, 7, 1), illustrative=True, note="测试：7月起提标")
    june = run(people.owner, tree.town_a, M(2026, 6))
    july = run(people.owner, tree.town_a, M(2026, 7))
    assert june.total_fen == 700 * 3 * 100 - 60000
    assert july.total_fen == 800 * 3 * 100 - 60000
    assert PayrollLine.objects.get(entitlement=ent, month=M(2026, 7)).standard_fen == 80000


def test_grace_ends_after_end_month_and_suspension_skips(tree, people, hh):
    g = dibao(hh(), status="grace", grace_end_month=M(2026, 2))
    g.monthly_fen = 30000
    g.save()
    s = dibao(hh(), status="suspended")
    kinds = []
    for m in (1, 2, 3):
        run(people.owner, tree.town_a, M(2026, m))
        kinds.append(list(PayrollLine.objects.filter(month=M(2026, m)).values_list("entitlement_id", "kind",
                                                                                     "amount_fen")))
    assert kinds[0] == [(g.pk, "grace", 30000)] and kinds[1] == [(g.pk, "grace", 30000)]
    assert kinds[2] == [] and not PayrollLine.objects.filter(entitlement=s).exists()


def test_death_stops_single_within_month_household_paid_as_decided(tree, people, hh):
    from doudi.benefits.models import Entitlement

    single = hh(members=1)
    person = Membership.objects.get(household=single).person
    single.bank_account = "6222"
    single.save()
    tk = Entitlement.objects.create(household=single, person=person, program="dibao", monthly_fen=50000,
                                    covered_members=1, start_month=M(2026, 1))
    family = hh(members=3)
    ent = dibao(family)
    dead = Membership.objects.filter(household=family).order_by("id").last().person
    dead.date_of_death = person.date_of_death = dt.date(2026, 3, 20)
    dead.save()
    person.save()
    feb = run(people.owner, tree.town_a, M(2026, 2))
    mar = run(people.owner, tree.town_a, M(2026, 3))
    assert PayrollLine.objects.filter(payroll=feb, entitlement=tk).exists()
    assert not PayrollLine.objects.filter(payroll=mar, entitlement=tk).exists()
    # a whole household's 低保 pays the decided amount until a new decision (S5 §1(3): checked within 3 months)
    line = PayrollLine.objects.get(payroll=mar, entitlement=ent)
    assert (line.persons, line.amount_fen) == (3, 700 * 3 * 100 - 60000)  # the amount for the decided basis
    apr = run(people.owner, tree.town_a, M(2026, 4))
    assert PayrollLine.objects.get(payroll=apr, entitlement=ent).amount_fen == 700 * 3 * 100 - 60000


def test_back_pay_for_late_decision_once(tree, people, hh):
    dibao(hh())
    run(people.owner, tree.town_a, M(2026, 1))
    run(people.owner, tree.town_a, M(2026, 2))
    late = dibao(hh(), start=M(2026, 1))  # decided in March, payable from January
    mar = run(people.owner, tree.town_a, M(2026, 3))
    got = sorted(PayrollLine.objects.filter(entitlement=late).values_list("month", "kind"))
    assert got == [(M(2026, 1), "backpay"), (M(2026, 2), "backpay"), (M(2026, 3), "regular")]
    assert all(ln.payroll_id == mar.pk for ln in PayrollLine.objects.filter(entitlement=late))
    run(people.owner, tree.town_a, M(2026, 4))
    assert PayrollLine.objects.filter(entitlement=late, kind="backpay").count() == 2


def test_scope_county_payroll_covers_townships_township_only_its_own(tree, people, hh):
    dibao(hh(tree.village_a))
    dibao(hh(tree.village_b))
    p = run(people.owner, tree.town_a, M(2026, 1))
    assert p.line_count == 1
    c = run(people.county, tree.county, M(2026, 1))
    # the township line already exists: the county payroll never pays it a second time
    assert c.line_count == 1 and PayrollLine.objects.count() == 2
