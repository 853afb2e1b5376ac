"""A member's death in a 低保 household (issue 8 item 2 / S5 §1(3)): the payroll pays the decided amount until a new
decision; recording the death opens the household's review at once with the engine's new amount; adjusting it
opens a case that another person decides."""

from __future__ import annotations

import datetime as dt

from doudi.benefits.models import Entitlement
from doudi.eligibility.selectors import program_outcome
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine
from doudi.payments.services import payroll_create
from doudi.registry.models import Membership
from doudi.registry.services import person_record_death
from doudi.reviews.models import ReviewTask
from doudi.reviews.selectors import review_suggestion
from doudi.reviews.services import review_decide
from tests import factories as f

M = dt.date


def _run(actor, region, month):
    p = payroll_create(actor=actor, region_code=region.code, program="dibao", month=month)
    return payroll_generate(payroll_id=p.pk, actor=actor)


def test_death_opens_the_review_at_once_and_the_decided_amount_is_paid_until_a_new_decision(tree, people):
    hh = f.household(tree.village_a, members=3)
    hh.bank_name, hh.bank_account, hh.account_holder = "信用社", "6221000077", "户主"
    hh.save()
    ent = Entitlement.objects.create(household=hh, program="dibao", monthly_fen=150_000, covered_members=3,
                                     start_month=M(2026, 1, 1), basis_area="rural", basis_members=3,
                                     basis_income_fen=60_000, basis_amount_fen=150_000)
    dead = Membership.objects.filter(household=hh).order_by("id").last().person
    person_record_death(actor=people.owner, person=dead, date_of_death=M(2026, 3, 20))

    task = ReviewTask.objects.get(entitlement=ent, reason="death")
    assert task.key == f"death:{dead.pk}" and task.person_id == dead.pk
    assert task.due_on == M(2026, 6, 20)  # procedure.death_check_months (national 3, S5 §1(3))
    assert task.evaluation is not None and task.evaluation.as_of == M(2026, 3, 21)
    assert task.evaluation.result["counted_members"] == 2  # the engine sees the household after the death
    engine = program_outcome(task.evaluation, program="dibao")
    suggestion = review_suggestion(task)
    # no income on record: two persons × the rural standard, decided anew (not the three of the old decision)
    assert engine.eligible and engine.monthly_fen == 2 * task.evaluation.result["standard_fen"]
    assert suggestion == {"outcome": "adjust", "monthly_fen": engine.monthly_fen, "reasons": engine.reasons}

    # the payroll pays what was decided, in the month of the death and after it, until the new decision
    for month in (M(2026, 3, 1), M(2026, 4, 1)):
        _run(people.owner, tree.town_a, month)
        line = PayrollLine.objects.get(entitlement=ent, month=month)
        assert (line.amount_fen, line.persons) == (150_000, 3)

    # the death review is opened once: recording it again (or the scan) adds nothing
    from doudi.reviews.services.deaths import death_review_open

    assert death_review_open(actor=people.owner, person=dead, date_of_death=M(2026, 3, 20),
                             household_ids=[hh.pk]) == []
    assert ReviewTask.objects.filter(reason="death").count() == 1

    # adjusting to the engine's amount opens a case for another person to decide; the amount is unchanged till then
    task = review_decide(actor=people.owner, task=task, outcome="adjust", reason="成员死亡，按现有人口重新核定",
                         proposed_monthly_fen=engine.monthly_fen)
    assert task.case is not None and task.case.state != "decided_approved"
    ent.refresh_from_db()
    assert ent.monthly_fen == 150_000


def test_a_death_outside_any_benefit_opens_nothing(tree, people):
    hh = f.household(tree.village_a, members=2)
    dead = Membership.objects.filter(household=hh).order_by("id").last().person
    person_record_death(actor=people.owner, person=dead, date_of_death=M(2026, 3, 20))
    assert not ReviewTask.objects.exists()
