"""Case-workflow fixtures: a household in township A, a funded reserve, and the engine/authorisation adapters
replaced by fixed answers (the eligibility and verification apps are built in parallel; their contracts are
``doudi.cases.services.outcome``)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from doudi.benefits.choices import Program
from doudi.cases import services
from doudi.cases.choices import Channel, InvestigationKind, State
from doudi.cases.services import outcome as adapters
from doudi.cases.services.outcome import CaseOutcome
from doudi.temporary import services as fund_services
from tests import factories as f


@pytest.fixture
def engine(monkeypatch):
    """Eligible for 62 000 fen/month unless a test sets ``engine.eligible = False``."""
    state = SimpleNamespace(eligible=True, monthly_fen=62_000, calls=0)

    def fake_outcome(*, actor, case, as_of):
        state.calls += 1
        ids = [m.person_id for m in case.household.memberships.all()]
        reasons = ["人均收入低于低保标准"] if state.eligible else ["人均收入高于低保标准"]
        return CaseOutcome(state.eligible, state.monthly_fen if state.eligible else 0, ids, reasons, None)

    monkeypatch.setattr(adapters, "case_outcome", fake_outcome)
    monkeypatch.setattr(adapters, "authorisations_complete", lambda case: True)
    monkeypatch.setattr(adapters, "authorisations_missing", lambda case: [])
    # No real authorisations here, so no verification request either (tests/cases/test_case_verification.py).
    monkeypatch.setattr(adapters, "start_verification", lambda actor, case, today: None)
    return state


@pytest.fixture
def hh(tree):
    return f.household(tree.village_a, members=3)


def head(household):
    return household.memberships.order_by("id").first().person


def apply(actor, household, programs=(Program.DIBAO,), **kw):
    kw.setdefault("channel", Channel.WINDOW)
    kw.setdefault("commitment_signed", True)
    app = services.application_submit(actor=actor, household=household, applicant=head(household),
                                      programs=list(programs), **kw)
    return app


def investigate(actor, case, day=None, **kw):
    kw.setdefault("kind", InvestigationKind.HOME_VISIT)
    kw.setdefault("family_signed", True)
    return f.investigate_signed(actor, case, visited_on=day or dt.date.today(), **kw)


def to_notice(owner, case, today=None):
    """Drive a 低保 case from submitted to public notice; returns the refreshed case."""
    today = today or dt.date.today()
    t = services.case_transition
    case = t(actor=owner, case=case, to_state=State.ACCEPTED, today=today)
    case = t(actor=owner, case=case, to_state=State.VERIFYING, today=today)
    case = t(actor=owner, case=case, to_state=State.INVESTIGATING, today=today)
    services.verification_record(actor=owner, case=case, completed_on=today, summary="核对无异常")
    investigate(owner, case, today)
    case = t(actor=owner, case=case, to_state=State.TOWNSHIP_REVIEWED, today=today)
    return t(actor=owner, case=case, to_state=State.PUBLIC_NOTICE, today=today)


@pytest.fixture
def fund(tree, people):
    # Shiqiao's profile: a 50 000-yuan reserve line and 24-hour advance aid ([004] 五)
    tree.city.profile = "shiqiao"
    tree.city.save()
    fund = fund_services.fund_open(actor=people.owner, region=tree.town_a)
    f.top_up_confirmed(people.owner, fund, 5_200_000, "县级拨付")
    fund.refresh_from_db()
    return fund
