from __future__ import annotations

import datetime as dt

import pytest

from doudi.benefits.models import Entitlement
from doudi.cases import selectors, services
from doudi.cases.choices import State
from doudi.cases.errors import CaseError
from doudi.cases.workflow import StepData
from doudi.core.models import WorkingCalendarDay
from doudi.core.workdays import add_working_days, working_days_between
from tests.cases.conftest import apply, investigate, to_notice

pytestmark = pytest.mark.django_db
T = services.case_transition


@pytest.fixture
def national_day():
    # 2025: 1–8 Oct off; Sun 28 Sep and Sat 11 Oct are adjusted working days (国办发明电〔2024〕12号).
    for d in range(1, 9):
        WorkingCalendarDay.objects.create(date=dt.date(2025, 10, d), is_working=False, name="国庆节、中秋节")
    WorkingCalendarDay.objects.create(date=dt.date(2025, 9, 28), is_working=True, name="调休上班")
    WorkingCalendarDay.objects.create(date=dt.date(2025, 10, 11), is_working=True, name="调休上班")


def test_working_days_skip_holidays_and_count_adjusted_weekends(national_day):
    assert add_working_days(dt.date(2025, 9, 26), 1) == dt.date(2025, 9, 28)  # Fri → adjusted Sunday
    assert add_working_days(dt.date(2025, 9, 29), 3) == dt.date(2025, 10, 10)  # Tue 30 Sep, Thu 9, Fri 10 Oct
    assert working_days_between(dt.date(2025, 9, 30), dt.date(2025, 10, 12)) == 3  # 9, 10, 11 (adjusted Sat)


def test_acceptance_deadlines_respect_the_calendar(people, hh, engine, national_day):
    case = apply(people.owner, hh).cases.get()
    case = T(actor=people.owner, case=case, to_state=State.ACCEPTED, today=dt.date(2025, 9, 30))
    # start of investigation within 3 working days: 9 Oct, 10 Oct, 11 Oct (adjusted Saturday)
    assert case.step_due == dt.date(2025, 10, 11)
    assert case.overall_due == add_working_days(dt.date(2025, 9, 30), 30)
    assert not selectors.is_overdue(case, today=dt.date(2025, 10, 11))
    assert selectors.is_overdue(case, today=dt.date(2025, 10, 13))
    assert list(selectors.case_list(actor=people.owner, overdue=True)) == [case]
    assert list(selectors.case_list(actor=people.colleague, overdue=True)) == []


def test_rejection_notice_late_shows_as_overdue(people, hh, engine):
    engine.eligible = False
    case = to_notice(people.owner, apply(people.owner, hh).cases.get(), today=dt.date(2025, 3, 3))
    case = T(actor=people.county, case=case, to_state=State.DECIDED_REJECTED, today=dt.date(2025, 3, 12),
             data=StepData(reasons=["收入超标"]))
    assert case in selectors.case_list(actor=people.county, overdue=True)
    services.rejection_notice_issue(actor=people.owner, case=case, issued_on=dt.date(2025, 3, 13))
    assert case not in selectors.case_list(actor=people.county, overdue=True)


def _entitlement(hh, program="dibao", monthly=50_000):
    return Entitlement.objects.create(household=hh, program=program, monthly_fen=monthly, covered_members=3,
                                      start_month=dt.date(2024, 1, 1))


def test_decrease_takes_effect_next_month(people, hh, engine):
    ent = _entitlement(hh)
    case = services.adjustment_open(actor=people.owner, entitlement=ent, kind="decrease", proposed_monthly_fen=30_000,
                                    reason="家庭成员就业，收入增加")
    case = T(actor=people.owner, case=case, to_state=State.INVESTIGATING)
    investigate(people.owner, case)
    case = T(actor=people.owner, case=case, to_state=State.TOWNSHIP_REVIEWED)
    case = T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=dt.date(2025, 6, 10))
    ent.refresh_from_db()
    assert ent.status == "ended" and ent.end_month == dt.date(2025, 6, 1)
    new = Entitlement.objects.exclude(pk=ent.pk).get()
    assert new.monthly_fen == 30_000 and new.start_month == dt.date(2025, 7, 1)


def test_tekun_termination_needs_seven_day_notice(people, hh, engine):
    ent = _entitlement(hh, program="tekun")
    case = services.adjustment_open(actor=people.owner, entitlement=ent, kind="tekun_termination", reason="已就业")
    case = T(actor=people.owner, case=case, to_state=State.INVESTIGATING)
    investigate(people.owner, case)
    case = T(actor=people.owner, case=case, to_state=State.TOWNSHIP_REVIEWED, today=dt.date(2025, 6, 2))
    with pytest.raises(CaseError) as exc:
        T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=dt.date(2025, 6, 2))
    assert exc.value.code == "notice_required"
    case = T(actor=people.owner, case=case, to_state=State.PUBLIC_NOTICE, today=dt.date(2025, 6, 2))
    assert case.notices.get().ends_on == dt.date(2025, 6, 8)
    case = T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=dt.date(2025, 6, 9))
    ent.refresh_from_db()
    assert ent.end_month == dt.date(2025, 6, 1) and ent.status == "ended"
    services.appeal_record(actor=people.owner, case=case, kind="review", filed_on=dt.date(2025, 6, 20),
                           body="某县人民政府")
    assert case.appeals.count() == 1


def test_the_public_notice_is_stored_in_chinese_whatever_the_caseworkers_language(people, hh, engine):
    from django.utils import translation

    ent = _entitlement(hh, program="tekun")
    case = services.adjustment_open(actor=people.owner, entitlement=ent, kind="tekun_termination", reason="已就业")
    case = T(actor=people.owner, case=case, to_state=State.INVESTIGATING)
    investigate(people.owner, case)
    case = T(actor=people.owner, case=case, to_state=State.TOWNSHIP_REVIEWED, today=dt.date(2025, 6, 2))
    with translation.override("en"):
        case = T(actor=people.owner, case=case, to_state=State.PUBLIC_NOTICE, today=dt.date(2025, 6, 2))
    category = case.notices.get().category
    assert "特困" in category and not any("a" <= c.lower() <= "z" for c in category), category
