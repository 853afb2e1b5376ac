"""A review's outcome: continue recorded on the review; adjust / stop / 特困 termination / 渐退 open an
adjustment case through the case workflow (S1 Art 31–33; S2 Art 24–26)."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.audit.models import AuditEvent
from doudi.cases.models import Case
from doudi.cases.services import case_transition
from doudi.core.errors import NotFoundOrForbidden, PermissionDenied
from doudi.registry.models import Employment, Income
from doudi.reviews.errors import ReviewError
from doudi.reviews.models import ReviewTask
from doudi.reviews.services import review_decide, review_evaluate, review_open, review_scan
from tests import factories as f
from tests.reviews.conftest import entitlement, members


def _task(tree, ent, as_of=dt.date(2026, 1, 15)):
    review_scan(actor=None, region_code=tree.town_a.code, as_of=as_of)
    return ReviewTask.objects.get(entitlement=ent)


def test_adjust_opens_a_decrease_case(tree, people, one):
    ent = entitlement(one, monthly_fen=60_000)
    task = _task(tree, ent)
    done = review_decide(actor=people.owner, task=task, outcome="adjust", reason="子女外出务工，收入增加",
                         proposed_monthly_fen=40_000)
    case = Case.objects.get(pk=done.case_id)
    assert (case.kind, case.workflow, case.state, case.entitlement_id, case.proposed_monthly_fen) == (
        "decrease", "adjustment", "submitted", ent.pk, 40_000)
    assert done.status == "done" and done.outcome_reason == "子女外出务工，收入增加"
    ent.refresh_from_db()
    assert ent.monthly_fen == 60_000  # unchanged until the county decides on the case


def test_stop_on_tekun_is_a_termination_case(tree, people, one):
    ent = entitlement(one, "tekun", person=members(one)[0], monthly_fen=90_000)
    done = review_decide(actor=people.owner, task=_task(tree, ent), outcome="stop", reason="法定赡养人具备赡养能力")
    assert Case.objects.get(pk=done.case_id).kind == "tekun_termination"


def test_continue_keeps_the_amount_with_a_written_reason_and_audit(tree, people, one):
    ent = entitlement(one)
    task = _task(tree, ent)
    with pytest.raises(ReviewError) as exc:
        review_decide(actor=people.owner, task=task, outcome="continue", reason="  ")
    assert exc.value.code == "reason_required"
    done = review_decide(actor=people.owner, task=task, outcome="continue", reason="家庭经济状况无明显变化")
    assert done.case_id is None and Case.objects.count() == 0
    assert AuditEvent.objects.filter(object_type="reviews.reviewtask", object_id=str(task.pk),
                                     changes__outcome="continue").exists()
    with pytest.raises(ReviewError):
        review_decide(actor=people.owner, task=task, outcome="continue", reason="again")


def test_adjust_to_the_same_amount_is_refused(tree, people, one):
    ent = entitlement(one, monthly_fen=60_000)
    with pytest.raises(ReviewError) as exc:
        review_decide(actor=people.owner, task=_task(tree, ent), outcome="adjust", reason="x",
                      proposed_monthly_fen=60_000)
    assert exc.value.code == "amount_unchanged"


def _employed_above_the_standard(household):
    person = members(household)[0]
    Employment.objects.create(person=person, status="employed", valid_from=dt.date(2025, 12, 1))
    Income.objects.create(person=person, kind="wage", monthly_fen=400_000, valid_from=dt.date(2025, 12, 1))


def test_grace_is_the_engines_with_memory_and_last_month_start_plus_n_minus_one(tree, people, family):
    one = family  # on 低保 as a household of three until the wage
    ent = entitlement(one)
    _employed_above_the_standard(one)  # wage evidence from 2025-12-01 puts the household above the line
    task = _task(tree, ent)
    # national profile: at most 6 months (S5 一(三)); asked for 9 → the engine keeps 6. The rise is dated by the
    # registry's evidence (2025-12-01), not by a date typed by hand
    done = review_decide(actor=people.owner, task=task, outcome="grace", reason="就业后收入超标", grace_months=9,
                         income_rose_on=dt.date(2026, 1, 20), today=dt.date(2026, 2, 10))
    # the reviewer proposes; the entitlement is unchanged until a second person approves the 渐退 case
    case = Case.objects.get(pk=done.case_id)
    assert (case.kind, case.workflow, case.proposed_monthly_fen) == ("grace", "adjustment", ent.monthly_fen)
    assert "最后发放月份2026-05" in case.application.statement
    ent.refresh_from_db()
    assert (ent.status, ent.grace_start_month, ent.income_rose_on) == ("active", None, None)
    with pytest.raises(PermissionDenied) as exc:  # whoever investigated and reviewed cannot also approve
        f.adjustment_decided(people.county, people.county, case, day=dt.date(2026, 2, 12))
    assert exc.value.code == "maker_checker"
    ent.refresh_from_db()
    assert ent.status == "active"
    case_transition(actor=f.user("county2", (tree.county, "civil_affairs")), case=Case.objects.get(pk=case.pk),
                    to_state="decided_approved", today=dt.date(2026, 2, 12))
    ent.refresh_from_db()
    task.refresh_from_db()
    decision = Case.objects.get(pk=case.pk).decision
    assert (decision.monthly_fen, decision.start_month, decision.evaluation_id) == (
        ent.monthly_fen, dt.date(2025, 12, 1), task.evaluation_id)
    assert ent.income_rose_on == dt.date(2025, 12, 1)
    assert (ent.status, ent.grace_start_month, ent.grace_months) == ("grace", dt.date(2025, 12, 1), 6)
    # the written decision the household receives states the period and the last paid month
    from django.template.loader import render_to_string

    from doudi.cases.pdf import decision_context

    html = render_to_string("cases/pdf/decision.html", decision_context(Case.objects.get(pk=case.pk)))
    assert "启动渐退" in html and "自 2025年12月 起 6 个月，最后发放月份 2026年5月" in html
    assert ent.grace_end_month == dt.date(2026, 5, 1)  # December + 6 − 1: paid Dec–May, stops in June
    assert task.grace_months == 6
    # memory: a re-evaluation months later keeps the same period, it never starts again
    from doudi.eligibility.services import evaluation_run

    later = evaluation_run(actor=people.owner, household=one, as_of=dt.date(2026, 5, 15))
    assert (later.result["grace"]["start_month"], later.result["grace"]["months"]) == ("2025-12", 6)
    assert later.result["grace"]["last_paid_month"] == "2026-05"


def test_the_rise_is_dated_by_the_evidence_that_crosses_the_line(tree, people, family):
    from doudi.eligibility.services import income_rose_on

    one = family
    ent = entitlement(one)
    person = members(one)[0]
    # a small wage from March (still below the line), a rise from June 17 (above it): the engine dates the rise
    Income.objects.create(person=person, kind="wage", monthly_fen=10_000, valid_from=dt.date(2025, 3, 1),
                          valid_to=dt.date(2025, 6, 16))
    Income.objects.create(person=person, kind="wage", monthly_fen=400_000, valid_from=dt.date(2025, 6, 17))
    assert income_rose_on(household=one, since=ent.start_month, until=dt.date(2026, 2, 10)) == dt.date(2025, 6, 17)
    # without evidence of a rise there is no date: the engine then starts the period in the review month
    assert income_rose_on(household=one, since=dt.date(2025, 7, 1), until=dt.date(2026, 2, 10)) is None
    done = review_decide(actor=people.owner, task=_task(tree, ent), outcome="grace", reason="就业后收入超标",
                         grace_months=3, today=dt.date(2025, 7, 10))
    f.adjustment_decided(people.owner, people.county, done.case, day=dt.date(2025, 7, 14))
    ent.refresh_from_db()
    assert (ent.income_rose_on, ent.grace_start_month, ent.grace_end_month) == (
        dt.date(2025, 6, 17), dt.date(2025, 6, 1), dt.date(2025, 8, 1))  # June + 3 − 1


def test_grace_refused_when_the_rise_is_excluded(tree, people, one):
    ent = entitlement(one)
    task = _task(tree, ent)
    _employed_above_the_standard(one)
    with pytest.raises(ReviewError) as exc:  # concealment is excluded by the profile: stops at once
        review_decide(actor=people.owner, task=task, outcome="grace", reason="x", grace_months=3,
                      income_rise_reason="concealment", today=dt.date(2026, 2, 10))
    assert exc.value.code == "grace_not_granted" and "不纳入渐退期管理" in exc.value.message
    ent.refresh_from_db()
    assert ent.status == "active" and ent.grace_start_month is None


def test_evaluation_is_stored_on_the_review(tree, people, one):
    ent = entitlement(one)
    task = review_evaluate(actor=people.owner, task=_task(tree, ent), as_of=dt.date(2026, 1, 15))
    assert task.evaluation_id and task.status == "in_progress"
    from doudi.reviews.selectors import review_suggestion

    assert review_suggestion(task)["outcome"] in {"continue", "adjust", "stop", "grace"}


def test_out_of_scope_is_not_found(tree, people, one):
    ent = entitlement(one)
    task = _task(tree, ent)
    for actor in (people.colleague, people.outsider):
        with pytest.raises(NotFoundOrForbidden):
            review_decide(actor=actor, task=task, outcome="continue", reason="x")
        with pytest.raises(NotFoundOrForbidden):
            review_open(actor=actor, entitlement=ent, reason="report", note="举报")


def test_report_task_is_opened_once_per_key(people, one):
    ent = entitlement(one)
    a = review_open(actor=people.owner, entitlement=ent, reason="report", note="群众举报有车辆", key="report:12345-1")
    b = review_open(actor=people.owner, entitlement=ent, reason="report", note="群众举报有车辆", key="report:12345-1")
    assert a.pk == b.pk
