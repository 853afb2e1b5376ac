from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from doudi.benefits.models import Entitlement
from doudi.cases import selectors, services
from doudi.cases.choices import State
from doudi.cases.errors import CaseError
from doudi.cases.models import Case, LocalitySetting
from doudi.core.models import WorkingCalendarDay
from doudi.core.workdays import add_working_days, working_days_between
from doudi.funds.errors import FundError
from doudi.funds.models import FundAlert, FundMovement
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
    assert not selectors.is_overdue(case, dt.date(2025, 10, 11))
    assert selectors.is_overdue(case, dt.date(2025, 10, 13))
    assert list(selectors.case_list(actor=people.owner, overdue=True)) == [case]
    assert list(selectors.case_list(actor=people.colleague, overdue=True)) == []


def test_rejection_notice_late_shows_as_overdue(people, hh, engine):
    engine.eligible = False
    case = to_notice(people.owner, apply(people.owner, hh).cases.get(), today=dt.date(2025, 3, 3))
    case = T(actor=people.county, case=case, to_state=State.DECIDED_REJECTED, today=dt.date(2025, 3, 12),
             reasons=["收入超标"])
    assert case in selectors.case_list(actor=people.county, overdue=True)
    services.rejection_notice_issue(actor=people.owner, case=case, issued_on=dt.date(2025, 3, 13))
    assert case not in selectors.case_list(actor=people.county, overdue=True)


def _emergency(owner, hh, amount=300_000):
    return apply(owner, hh, programs=["temporary"],
                 temporary={"type": "emergency", "cause": "fire", "requested_fen": amount, "stages": 2}).cases.get()


def test_emergency_paid_same_day_from_reserve_fund(people, hh, fund):
    case = _emergency(people.owner, hh)
    assert case.workflow == "emergency" and case.step_due == dt.date.today() + dt.timedelta(days=1)
    case = T(actor=people.owner, case=case, to_state=State.ADVANCE_PAID, reason="火灾，先行救助")
    fund.refresh_from_db()
    assert fund.balance_fen == 5_200_000 - 300_000
    draw = FundMovement.objects.get(kind="draw")
    assert draw.case == case and draw.balance_after_fen == fund.balance_fen
    payment = case.payments.get()
    assert payment.from_reserve and payment.paid_at.date() == case.application.submitted_at.date()
    assert (payment.paid_at - case.application.submitted_at).total_seconds() < 24 * 3600
    # 49 000 yuan left: below the 50 000 yuan line → exactly one alert
    assert fund.low_alert_open and FundAlert.objects.filter(fund=fund, cleared_at__isnull=True).count() == 1
    with pytest.raises(CaseError):
        T(actor=people.owner, case=case, to_state=State.CLOSED)
    case = T(actor=people.owner, case=case, to_state=State.CLOSED, signed_by=["张三", "李四"])
    assert case.temporary.paperwork_completed_on == dt.date.today()


def test_emergency_over_township_limit_refused_and_nothing_drawn(people, hh, fund):
    case = _emergency(people.owner, hh, amount=800_000)
    with pytest.raises(CaseError) as exc:
        T(actor=people.owner, case=case, to_state=State.ADVANCE_PAID)
    assert exc.value.code == "over_township_limit"
    assert not FundMovement.objects.filter(kind="draw").exists()
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


def test_insufficient_reserve_is_refused(tree, people, hh):
    from doudi.funds import services as fs

    fs.fund_open(actor=people.owner, region=tree.town_a)
    case = _emergency(people.owner, hh)
    with pytest.raises(FundError) as exc:
        T(actor=people.owner, case=case, to_state=State.ADVANCE_PAID)
    assert exc.value.code == "insufficient_balance"
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED and not case.payments.exists()


def test_emergency_at_place_of_emergency_regardless_of_hukou(tree, people, hh, fund):
    # a household of township B has an accident in township A's village: township A handles it
    from tests import factories as f

    stranger = f.household(tree.village_b)
    app = services.application_submit(
        actor=people.owner, household=stranger, applicant=stranger.memberships.first().person,
        programs=["temporary"], channel="window", place="emergency", emergency_region=tree.village_a,
        commitment_signed=True, temporary={"type": "emergency", "cause": "traffic", "requested_fen": 200_000},
    )
    case = app.cases.get()
    assert case.region == tree.village_a
    assert T(actor=people.owner, case=case, to_state=State.ADVANCE_PAID).state == State.ADVANCE_PAID


def test_staged_payments_never_exceed_approved(people, hh, fund):
    case = T(actor=people.owner, case=_emergency(people.owner, hh), to_state=State.ADVANCE_PAID, amount_fen=100_000)
    services.temporary_pay_stage(actor=people.owner, case=case, amount_fen=150_000, from_reserve=True)
    with pytest.raises(CaseError):
        services.temporary_pay_stage(actor=people.owner, case=case, amount_fen=1)


def test_expenditure_above_cap_needs_case_conference_minutes(tree, people, hh, engine):
    LocalitySetting.objects.create(region=tree.county, temp_township_limit_fen=500_000,
                                   temp_conference_above_fen=2_000_000)
    case = apply(people.owner, hh, programs=["temporary"],
                 temporary={"type": "expenditure", "cause": "serious_illness", "requested_fen": 3_000_000}).cases.get()
    assert case.authority_level == "county"
    case = to_notice(people.owner, case, today=dt.date(2025, 3, 3))
    with pytest.raises(CaseError) as exc:
        T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=dt.date(2025, 3, 20))
    assert exc.value.code == "conference_required"
    services.conference_minutes_attach(actor=people.county, case=case, held_on=dt.date(2025, 3, 18),
                                       minutes=SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes"))
    case = T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=dt.date(2025, 3, 20))
    assert case.decision.monthly_fen == 3_000_000
    assert not Entitlement.objects.exists()  # one-off aid, paid in stages, not a monthly entitlement


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
