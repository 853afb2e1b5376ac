"""Referrals: department users see only their department in their region; the transition table; overdue; feedback."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.audit.models import AuditEvent
from doudi.core.errors import IllegalTransition, NotFoundOrForbidden
from doudi.referrals import selectors, services
from doudi.referrals.models import Referral
from tests import factories as f


@pytest.fixture
def dept(tree):
    from types import SimpleNamespace

    return SimpleNamespace(
        medical_a=f.user("med_a", (tree.town_a, "department"), department="medical_security"),
        education_a=f.user("edu_a", (tree.town_a, "department"), department="education"),
        medical_county=f.user("med_county", (tree.county, "department"), department="medical_security"),
        medical_b=f.user("med_b", (tree.town_b, "department"), department="medical_security"),
    )


@pytest.fixture
def referrals(tree, people):
    home_a = f.household(tree.village_a)
    home_b = f.household(tree.village_b)
    return {
        "med_a": services.referral_create(actor=people.owner, household=home_a, need_type="medical"),
        "edu_a": services.referral_create(actor=people.owner, household=home_a, need_type="education"),
        "med_b": services.referral_create(actor=people.colleague, household=home_b, need_type="medical"),
    }


def test_department_user_sees_only_own_department_in_own_region(referrals, dept, people):
    seen = lambda user: set(Referral.objects.restrict(user, "view"))  # noqa: E731
    assert seen(dept.medical_a) == {referrals["med_a"]}
    assert seen(dept.education_a) == {referrals["edu_a"]}
    assert seen(dept.medical_b) == {referrals["med_b"]}
    assert seen(dept.medical_county) == {referrals["med_a"], referrals["med_b"]}
    # Civil-affairs staff see every department's referrals in their region, and cannot answer them.
    assert seen(people.owner) == {referrals["med_a"], referrals["edu_a"]}
    assert not Referral.objects.restrict(people.owner, "answer").exists()
    assert not Referral.objects.restrict(people.outsider, "view").exists()
    # Department staff cannot create referrals or reach them through other actions.
    assert not Referral.objects.restrict(dept.medical_a, "change").exists()


def test_referral_routed_to_responsible_department_with_ten_working_day_deadline(referrals):
    r = referrals["med_a"]
    assert r.department == "medical_security" and r.status == "sent"
    assert (r.deadline - r.created_at.date()).days >= 14
    assert referrals["edu_a"].department == "education"


def test_the_answer_limit_is_the_profiles(tree, people):
    """The department's answer limit is a profile value (procedure.referral.answer_workdays), not a constant: a
    locality that sets 5 working days gets 5; the national profile's illustrative 10 otherwise."""
    from doudi.core.workdays import add_working_days
    from doudi.policy.services import policy_value_create
    from doudi.referrals.services import answer_deadline

    today = dt.date(2026, 6, 1)
    assert answer_deadline(tree.village_a, day=today) == add_working_days(today, 10)
    tree.city.profile = "hulunbuir"
    tree.city.save()
    policy_value_create(actor=None, profile="hulunbuir", key="procedure.referral.answer_workdays", value=5,
                        valid_from=dt.date(2026, 1, 1), source="测试：本地规定5个工作日")
    assert answer_deadline(tree.village_a, day=today) == add_working_days(today, 5)


def test_legal_transitions_and_answer(referrals, dept):
    r = referrals["med_a"]
    for step in ("received", "in_progress"):
        r = services.referral_transition(actor=dept.medical_a, referral=r, to_status=step)
    with pytest.raises(services.ReferralError, match="须填写答复"):
        services.referral_transition(actor=dept.medical_a, referral=r, to_status="answered")
    r = services.referral_transition(
        actor=dept.medical_a, referral=r, to_status="answered", answer="已纳入医疗救助，住院自付部分报销70%"
    )
    assert r.status == "answered" and r.answered_by == dept.medical_a
    assert [t.to_status for t in r.transitions.all()] == ["sent", "received", "in_progress", "answered"]
    assert AuditEvent.objects.filter(action="transition", object_id=str(r.pk)).count() == 3


@pytest.mark.parametrize(
    "path,illegal",
    [((), "answered"), ((), "in_progress"), (("received", "in_progress"), "sent"), (("declined",), "received")],
)
def test_illegal_transitions_are_refused_in_chinese(referrals, dept, path, illegal):
    r = referrals["med_a"]
    for step in path:
        r = services.referral_transition(actor=dept.medical_a, referral=r, to_status=step, answer="理由")
    with pytest.raises(IllegalTransition) as exc:
        services.referral_transition(actor=dept.medical_a, referral=r, to_status=illegal, answer="x")
    assert "不能从" in exc.value.message
    r.refresh_from_db()
    assert r.status == (path[-1] if path else "sent")


def test_other_department_or_region_cannot_move_a_referral(referrals, dept, people):
    for user in (dept.education_a, dept.medical_b, people.owner, people.outsider):
        with pytest.raises(NotFoundOrForbidden):
            services.referral_transition(actor=user, referral=referrals["med_a"], to_status="received")


def test_overdue_referrals(referrals, dept, people):
    late = referrals["med_a"]
    Referral.objects.filter(pk=late.pk).update(deadline=dt.date(2020, 1, 1))
    done = referrals["edu_a"]
    Referral.objects.filter(pk=done.pk).update(deadline=dt.date(2020, 1, 1))
    services.referral_transition(actor=dept.education_a, referral=done, to_status="declined", answer="不符合条件")
    today = dt.date.today()
    assert list(selectors.overdue_referrals(actor=people.owner, today=today)) == [late]
    assert not selectors.overdue_referrals(actor=dept.education_a, today=today).exists()
    late.refresh_from_db()
    assert late.is_overdue(today)


def test_household_feedback_merges_answers(referrals, dept):
    r = referrals["med_a"]
    services.referral_transition(actor=dept.medical_a, referral=r, to_status="received")
    services.referral_transition(actor=dept.medical_a, referral=r, to_status="answered", answer="已办理医疗救助")
    items = selectors.household_feedback(r.household)
    assert [(i.need, i.answered) for i in items] == [("医疗救助", True), ("教育救助", False)]
    assert items[0].answer == "已办理医疗救助" and items[0].department == "医疗保障"


def test_colleague_cannot_refer_a_household_outside_jurisdiction(tree, people):
    with pytest.raises(NotFoundOrForbidden):
        services.referral_create(actor=people.colleague, household=f.household(tree.village_a), need_type="medical")
