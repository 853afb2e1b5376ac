"""Special-group programs under dynamic management (issue 12.4): 孤儿、事实无人抚养儿童基本生活费,
困难残疾人生活补贴 and 重度残疾人护理补贴 are reviewed every ``review.months.special`` months; the outcome is
the engine's answer for the person (continue, the engine's amount, or stop at the engine's month), a stop or
change goes through an adjustment case that whoever concluded the review cannot approve; a person paid past the
age for full-time schooling is continued only with the proof seen at the review, and stops with the month
schooling ended.

Hand-computed with the 呼伦贝尔 profile (illustrative standards: 孤儿/事实无人抚养儿童 1400 元,
困难残疾人生活补贴 120 元, 护理补贴 120 元 (grade 1–2) / 60 元 (grade 3–4 intellectual or mental)),
decided 2025-12-20 → paid from 2026-01.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from doudi.benefits.models import Entitlement
from doudi.cases import services as cases
from doudi.cases.choices import InvestigationKind, State
from doudi.cases.models import Case, LocalitySetting
from doudi.core.errors import NotFoundOrForbidden, PermissionDenied
from doudi.registry import services as registry
from doudi.registry.models import Disability, Schooling
from doudi.reviews import schedule
from doudi.reviews.errors import ReviewError
from doudi.reviews.models import ReviewTask
from doudi.reviews.selectors import review_list
from doudi.reviews.services import review_decide, review_evaluate, review_scan
from tests import factories as f
from tests.special.test_end_to_end import _approve, _disabled_household, _household, _pay, _standard
from tests.special.test_end_to_end import county as county  # the fixture

BIRTH = dt.date(2008, 3, 10)  # 18 on 2026-03-10: the allowance's last month is March 2026


def _unsupported_child(people, village, *, in_school: bool):
    """A de-facto unsupported child (father detained, mother dead; 民发〔2019〕62号) living with the grandmother."""
    hh, (grandma, child) = _household(people.owner, village, [("head", "刘奶奶", dt.date(1952, 2, 1)),
                                                               ("grandchild", "刘小雨", BIRTH)])
    for kind in ("father_detained", "mother_dead"):
        registry.evidence_add(actor=people.owner, person=child, evidence_type="circumstance", kind=kind,
                              valid_from=dt.date(2024, 1, 1))
    registry.evidence_add(actor=people.owner, person=grandma, evidence_type="income", kind="basic_pension",
                          monthly_fen=20_000, valid_from=dt.date(2020, 1, 1))
    if in_school:
        registry.evidence_add(actor=people.owner, person=child, evidence_type="schooling", level="high_school",
                              full_time=True, valid_from=dt.date(2023, 9, 1))
    return hh, grandma, child


def _task(tree, ent, as_of):
    review_scan(actor=None, region_code=tree.town_a.code, as_of=as_of)
    return ReviewTask.objects.get(entitlement=ent, reason="periodic", status="open")


def _regular(lines):
    return [ln.amount_fen for ln in lines if ln.kind == "regular"]


def _stop_case_to_review(owner, task):
    """The township investigates and reviews the adjustment case the review opened."""
    case = Case.objects.get(pk=task.case_id)
    case = cases.case_transition(actor=owner, case=case, to_state=State.INVESTIGATING, today=task.decided_on)
    # the scenario runs into 2028; a home visit cannot be recorded for a day after the real today
    visited = min(task.decided_on, timezone.localdate())
    f.investigate_signed(owner, case, visited_on=visited, kind=InvestigationKind.HOME_VISIT, family_signed=True)
    return cases.case_transition(actor=owner, case=case, to_state=State.TOWNSHIP_REVIEWED, today=task.decided_on)


def test_the_special_groups_are_reviewed_on_the_profiles_cycle(county):
    from doudi.eligibility.services import params_for

    params = params_for("hulunbuir", as_of=dt.date(2026, 1, 1), area="rural")
    for program in ("orphan", "disabled_living", "disabled_care"):
        category = schedule.review_category(program, irregular_income=True, able_member=True)
        assert category == "special"
        assert schedule.cycle_months(category, params) == 12  # review.months.special (national, illustrative)


def test_a_child_turning_18_not_in_school_stops_at_the_engines_last_month(county, people):
    hh, grandma, child = _unsupported_child(people, county.village_a, in_school=False)
    _approve(people, hh, grandma, "orphan")
    ent = Entitlement.objects.get(household=hh, program="orphan")
    standard = _standard("special.unsupported_child.standard")
    assert (ent.person_id, ent.monthly_fen, ent.end_month) == (child.pk, standard, dt.date(2026, 3, 1))
    assert _regular(_pay(people.county, "orphan", dt.date(2026, 3, 1))) == [standard]  # the birthday month
    assert _regular(_pay(people.county, "orphan", dt.date(2026, 4, 1))) == []
    # nothing left to review: the allowance ended before a review falls due (2027-01), and after March it is over
    for as_of in (dt.date(2026, 2, 1), dt.date(2026, 12, 15)):
        review_scan(actor=None, region_code=county.town_a.code, as_of=as_of)
    assert not ReviewTask.objects.filter(entitlement=ent).exists()


def test_a_child_in_school_continues_until_the_review_finds_schooling_ended(county, people):
    LocalitySetting.objects.create(region=county.county, township_confirms=True)
    hh, grandma, child = _unsupported_child(people, county.village_a, in_school=True)
    _approve(people, hh, grandma, "orphan")
    ent = Entitlement.objects.get(household=hh, program="orphan")
    standard = _standard("special.unsupported_child.standard")
    assert ent.end_month is None, "in full-time school: no fixed end, the review decides"
    assert _regular(_pay(people.county, "orphan", dt.date(2026, 4, 1))) == [standard]  # past 18, in school

    # first review: due 12 months after the start (2027-01-01), listed 30 days ahead
    task = _task(county, ent, dt.date(2026, 12, 15))
    assert (task.category, task.cycle_months, task.due_on) == ("special", 12, dt.date(2027, 1, 1))
    with pytest.raises(ReviewError) as exc:  # the outcome is the engine's: evaluate first
        review_decide(actor=people.owner, task=task, outcome="continue", reason="仍在读", today=dt.date(2027, 1, 5))
    assert exc.value.code == "evaluation_required"
    review_evaluate(actor=people.owner, task=task, as_of=dt.date(2027, 1, 5))
    with pytest.raises(ReviewError) as exc:  # past the age because of school: the proof is re-confirmed
        review_decide(actor=people.owner, task=task, outcome="continue", reason="仍在读", today=dt.date(2027, 1, 5))
    assert exc.value.code == "school_proof_required" and "在读证明" in exc.value.message
    with pytest.raises(ReviewError) as exc:  # and the engine says it still applies: no stop
        review_decide(actor=people.owner, task=task, outcome="stop", reason="x", today=dt.date(2027, 1, 5))
    assert exc.value.code == "outcome_not_engines"
    done = review_decide(actor=people.owner, task=task, outcome="continue", reason="全日制高中在读",
                         school_proof="海拉尔一中2026—2027学年第一学期在读证明", today=dt.date(2027, 1, 5))
    proof = "海拉尔一中2026—2027学年第一学期在读证明"
    assert (done.outcome, done.case_id, done.school_proof) == ("continue", None, proof)

    # schooling ends on 2027-07-15 (recorded in the registry); the next review is due 12 months after the last
    school = Schooling.objects.get(person=child)
    registry.evidence_end(actor=people.owner, evidence=school, valid_to=dt.date(2027, 7, 15), reason="高中毕业")
    task = _task(county, ent, dt.date(2027, 12, 15))
    assert task.due_on == dt.date(2028, 1, 5)
    review_evaluate(actor=people.owner, task=task, as_of=dt.date(2028, 1, 5))
    with pytest.raises(ReviewError) as exc:
        review_decide(actor=people.owner, task=task, outcome="continue", reason="x", school_proof="无",
                      today=dt.date(2028, 1, 5))
    assert exc.value.code == "outcome_not_engines" and "全日制在校就读已结束" in exc.value.message
    done = review_decide(actor=people.owner, task=task, outcome="stop", reason="高中毕业后未继续就读",
                         today=dt.date(2028, 1, 5))
    assert "发放至2027年07月" in done.outcome_reason
    case = _stop_case_to_review(people.owner, done)
    assert case.kind == "stop"
    ent.refresh_from_db()
    assert ent.status == "active"  # nothing changes until a second person decides
    with pytest.raises(PermissionDenied) as exc:  # maker ≠ checker: who concluded and reviewed cannot approve
        cases.case_transition(actor=people.owner, case=case, to_state=State.DECIDED_APPROVED,
                              today=dt.date(2028, 1, 20))
    assert exc.value.code == "maker_checker"
    checker = f.user("checker", (county.town_a, "township_caseworker"))
    cases.case_transition(actor=checker, case=case, to_state=State.DECIDED_APPROVED, today=dt.date(2028, 1, 20))
    ent.refresh_from_db()
    # the entitlement ends with the month schooling ended (the engine's month), not the decision month
    assert (ent.status, ent.end_month) == ("ended", dt.date(2027, 7, 1))
    assert _regular(_pay(people.county, "orphan", dt.date(2027, 7, 1))) == [standard]
    assert _regular(_pay(people.county, "orphan", dt.date(2027, 8, 1))) == []
    assert _regular(_pay(people.county, "orphan", dt.date(2028, 2, 1))) == []


def test_a_living_subsidy_reviewed_after_the_household_left_dibao_is_stopped(county, people):
    hh, head, _wife = _disabled_household(people, county.village_a, 2)
    _approve(people, hh, head, "dibao")
    _approve(people, hh, head, "disabled_living")
    ent = Entitlement.objects.get(household=hh, program="disabled_living")
    standard = _standard("special.disabled_living.standard")
    # the head finds work at 9000 元 a month: the household is neither 低保 nor 低保边缘 any more
    registry.evidence_add(actor=people.owner, person=head, evidence_type="income", kind="wage", monthly_fen=900_000,
                          valid_from=dt.date(2026, 6, 1))
    task = _task(county, ent, dt.date(2026, 12, 15))
    assert (task.category, task.due_on) == ("special", dt.date(2027, 1, 1))
    review_evaluate(actor=people.owner, task=task, as_of=dt.date(2027, 1, 4))
    with pytest.raises(ReviewError) as exc:
        review_decide(actor=people.owner, task=task, outcome="continue", reason="x", today=dt.date(2027, 1, 4))
    assert exc.value.code == "outcome_not_engines" and "不属于享受困难残疾人生活补贴的家庭类别" in exc.value.message
    done = review_decide(actor=people.owner, task=task, outcome="stop", reason="家庭已不属于低保",
                         today=dt.date(2027, 1, 4))
    case = _stop_case_to_review(people.owner, done)
    cases.case_transition(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=dt.date(2027, 1, 12))
    ent.refresh_from_db()
    # the engine gives no earlier month for a category change: paid through the month of the decision
    assert (ent.status, ent.end_month) == ("ended", dt.date(2027, 1, 1))
    assert _regular(_pay(people.county, "disabled_living", dt.date(2027, 1, 1))) == [standard]
    assert _regular(_pay(people.county, "disabled_living", dt.date(2027, 2, 1))) == []


def test_a_care_subsidy_follows_a_grade_change_and_the_reviewer_cannot_approve_it(county, people):
    hh, (head, wife) = _household(people.owner, county.village_a, [("head", "赵大哥", dt.date(1970, 1, 1)),
                                                                    ("spouse", "钱大嫂", dt.date(1972, 1, 1))])
    registry.evidence_add(actor=people.owner, person=wife, evidence_type="disability", type="intellectual", grade=3,
                          valid_from=dt.date(2020, 1, 1))
    _approve(people, hh, head, "disabled_care")
    ent = Entitlement.objects.get(household=hh, program="disabled_care")
    assert ent.monthly_fen == _standard("special.disabled_care.standard.extended")  # 60 元: grade 3 intellectual
    # the certificate is re-assessed at grade 2 from 2026-08-01
    registry.evidence_end(actor=people.owner, evidence=Disability.objects.get(person=wife),
                          valid_to=dt.date(2026, 7, 31), reason="残疾等级重新评定")
    registry.evidence_add(actor=people.owner, person=wife, evidence_type="disability", type="intellectual", grade=2,
                          valid_from=dt.date(2026, 8, 1))
    task = _task(county, ent, dt.date(2026, 12, 15))
    review_evaluate(actor=people.county, task=task, as_of=dt.date(2027, 1, 4))
    severe = _standard("special.disabled_care.standard.severe")
    with pytest.raises(ReviewError) as exc:  # not another amount than the engine's
        review_decide(actor=people.county, task=task, outcome="adjust", reason="x", proposed_monthly_fen=severe + 100,
                      today=dt.date(2027, 1, 4))
    assert exc.value.code == "outcome_not_engines"
    done = review_decide(actor=people.county, task=task, outcome="adjust", reason="残疾等级调整为二级",
                         today=dt.date(2027, 1, 4))
    assert done.proposed_monthly_fen == severe == 12_000
    case = _stop_case_to_review(people.owner, done)
    assert (case.kind, case.proposed_monthly_fen) == ("increase", severe)
    # the county officer who concluded the review did not investigate, yet may not approve the change
    with pytest.raises(PermissionDenied) as exc:
        cases.case_transition(actor=people.county, case=case, to_state=State.DECIDED_APPROVED,
                              today=dt.date(2027, 1, 12))
    assert exc.value.code == "maker_checker"
    other = f.user("county2", (county.county, "civil_affairs"))
    cases.case_transition(actor=other, case=case, to_state=State.DECIDED_APPROVED, today=dt.date(2027, 1, 12))
    new = Entitlement.objects.get(household=hh, program="disabled_care", status="active")
    assert (new.person_id, new.monthly_fen, new.start_month) == (wife.pk, severe, dt.date(2027, 2, 1))
    assert [ln.amount_fen for ln in _pay(people.county, "disabled_care", dt.date(2027, 2, 1))] == [severe]


def test_another_area_cannot_see_or_act_and_the_screens_name_the_program(client, county, people):
    hh, grandma, _child = _unsupported_child(people, county.village_a, in_school=True)
    _approve(people, hh, grandma, "orphan")
    ent = Entitlement.objects.get(household=hh, program="orphan")
    task = _task(county, ent, dt.date(2026, 12, 15))
    for actor in (people.colleague, people.outsider):
        assert not review_list(actor=actor).filter(pk=task.pk).exists()
        with pytest.raises(NotFoundOrForbidden):
            review_evaluate(actor=actor, task=task, as_of=dt.date(2027, 1, 5))
        with pytest.raises(NotFoundOrForbidden):
            review_decide(actor=actor, task=task, outcome="continue", reason="x", school_proof="x",
                          today=dt.date(2027, 1, 5))
    with pytest.raises(NotFoundOrForbidden):
        review_scan(actor=people.colleague, region_code=county.town_a.code, as_of=dt.date(2026, 12, 15))
    task.refresh_from_db()
    assert (task.status, task.evaluation_id) == ("open", None)
    client.force_login(people.colleague)
    assert client.get(f"/reviews/{task.pk}/").status_code == 404
    assert "刘小雨" not in client.get("/reviews/").content.decode()

    client.force_login(people.owner)
    listing = client.get("/reviews/").content.decode()
    assert "孤儿、事实无人抚养儿童基本生活费 · 刘小雨" in listing and ">orphan<" not in listing
    review_evaluate(actor=people.owner, task=task, as_of=dt.date(2027, 1, 5))
    page = client.get(f"/reviews/{task.pk}/").content.decode()
    assert "孤儿、事实无人抚养儿童基本生活费" in page and "孤儿、事实无人抚养儿童和残疾人两项补贴对象" in page
    assert "凭全日制在校就读继续享受" in page and 'name="school_proof"' in page
