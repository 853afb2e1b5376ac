"""The temporary-assistance workflows plugged into the case workflow: advance aid paid the same day from the reserve
fund, the township's limit, the place of the emergency, staged payments and the case conference above the cap."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from doudi.benefits.models import Entitlement
from doudi.cases import services
from doudi.cases.choices import State
from doudi.cases.errors import CaseError
from doudi.cases.models import Case
from doudi.cases.workflow import StepData, TemporaryDetails
from doudi.temporary import services as temporary_services
from doudi.temporary.errors import FundError
from doudi.temporary.models import FundAlert, FundMovement
from tests import factories as f
from tests.cases.conftest import apply, to_notice

pytestmark = pytest.mark.django_db
T = services.case_transition


def _emergency(owner, hh, amount=250_000):  # within the profile's township limit (2 700 yuan)
    return apply(owner, hh, programs=["temporary"],
                 temporary=TemporaryDetails(type="emergency", cause="fire", requested_fen=amount, stages=2)).cases.get()


def test_emergency_paid_same_day_from_reserve_fund(people, hh, fund):
    case = _emergency(people.owner, hh)
    assert case.workflow == "emergency" and case.step_due == timezone.localdate() + dt.timedelta(days=1)
    case = T(actor=people.owner, case=case, to_state=State.ADVANCE_PAID, reason="火灾，先行救助")
    fund.refresh_from_db()
    assert fund.balance_fen == 5_200_000 - 250_000
    draw = FundMovement.objects.get(kind="draw")
    assert draw.case == case and draw.balance_after_fen == fund.balance_fen
    payment = case.payments.get()
    assert payment.from_reserve and payment.paid_at.date() == case.application.submitted_at.date()
    assert (payment.paid_at - case.application.submitted_at).total_seconds() < 24 * 3600
    # 49 500 yuan left: below the 50 000 yuan line → exactly one alert
    assert fund.low_alert_open and FundAlert.objects.filter(fund=fund, cleared_at__isnull=True).count() == 1
    with pytest.raises(CaseError) as exc:
        T(actor=people.owner, case=case, to_state=State.CLOSED, data=StepData(signed_by=["张三", "李四"]))
    assert exc.value.code == "advance_unconfirmed"  # the advance was not confirmed by a second person yet
    temporary_services.advance_confirm(actor=f.partner(people.owner), payment=payment)
    with pytest.raises(CaseError):
        T(actor=people.owner, case=case, to_state=State.CLOSED)
    case = T(actor=people.owner, case=case, to_state=State.CLOSED, data=StepData(signed_by=["张三", "李四"]))
    assert case.temporary.paperwork_completed_on == dt.date.today()


def test_emergency_over_township_limit_refused_and_nothing_drawn(people, hh, fund):
    case = _emergency(people.owner, hh, amount=800_000)
    with pytest.raises(CaseError) as exc:
        T(actor=people.owner, case=case, to_state=State.ADVANCE_PAID)
    assert exc.value.code == "over_township_limit"
    assert not FundMovement.objects.filter(kind="draw").exists()
    assert Case.objects.get(pk=case.pk).state == State.SUBMITTED


def test_insufficient_reserve_is_refused(tree, people, hh):
    temporary_services.fund_open(actor=people.owner, region=tree.town_a)
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
        commitment_signed=True, temporary=TemporaryDetails(type="emergency", cause="traffic", requested_fen=200_000),
    )
    case = app.cases.get()
    assert case.region == tree.village_a
    assert T(actor=people.owner, case=case, to_state=State.ADVANCE_PAID).state == State.ADVANCE_PAID


def test_staged_payments_never_exceed_approved(people, hh, fund):
    case = T(actor=people.owner, case=_emergency(people.owner, hh), to_state=State.ADVANCE_PAID,
             data=StepData(amount_fen=100_000))
    temporary_services.temporary_pay_stage(actor=people.owner, case=case, amount_fen=150_000, from_reserve=True)
    with pytest.raises(CaseError):
        temporary_services.temporary_pay_stage(actor=people.owner, case=case, amount_fen=1)


def test_expenditure_above_cap_needs_case_conference_minutes(tree, people, hh, engine):
    # national profile: township limit 2 700 yuan, band 2–6 × the standard, 一事一议 above 20 000 yuan
    case = apply(people.owner, hh, programs=["temporary"],
                 temporary=TemporaryDetails(type="expenditure", cause="serious_illness",
                                            requested_fen=3_000_000)).cases.get()
    assert case.authority_level == "county"
    case = to_notice(people.owner, case, today=dt.date(2025, 3, 3))
    with pytest.raises(CaseError) as exc:
        T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=dt.date(2025, 3, 20))
    assert exc.value.code == "conference_required" and "救助档次上限" in exc.value.message
    temporary_services.conference_minutes_attach(actor=people.county, case=case, held_on=dt.date(2025, 3, 18),
                                       minutes=SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes"))
    case = T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=dt.date(2025, 3, 20))
    assert case.decision.monthly_fen == 3_000_000
    assert not Entitlement.objects.exists()  # one-off aid, paid in stages, not a monthly entitlement
