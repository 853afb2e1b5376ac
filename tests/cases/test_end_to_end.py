"""The whole 低保 workflow with the real rules engine (no ``engine`` fixture): a household registered through the
registry services, authorised and verified through the verification app, evaluated under the Hulunbuir profile."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.benefits.choices import Program
from doudi.benefits.models import Entitlement
from doudi.cases import services
from doudi.cases.choices import Channel, InvestigationKind, State
from doudi.cases.errors import CaseError
from doudi.cases.services.decisions import month_after
from doudi.eligibility.models import Evaluation
from doudi.eligibility.selectors import program_outcome
from doudi.registry import services as registry
from doudi.verification import services as verification
from tests import factories as f

START = dt.date(2025, 1, 1)


def _register(actor, village, people: list[tuple[str, str, dt.date, int]]):
    """``people``: (relationship, name, birth, monthly wage in yuan). Returns the household and its head."""
    hh = registry.household_create(actor=actor, region=village, address="甲社区幸福路8号")
    head = None
    for relationship, name, birth, wage in people:
        person = registry.member_add(actor=actor, household=hh, id_number=f.make_id(birth), name=name,
                                     relationship=relationship, valid_from=START).person
        head = head or person
        if wage:
            registry.evidence_add(actor=actor, person=person, evidence_type="income", kind="wage",
                                  monthly_fen=wage * 100, valid_from=START)
            registry.evidence_add(actor=actor, person=person, evidence_type="employment", status="employed",
                                  valid_from=START)
    return hh, head


def _authorise_and_verify(actor, hh, today):
    for m in hh.memberships.select_related("person"):
        verification.authorisation_record(actor=actor, household=hh, person=m.person, method="e_signature",
                                          signed_at=today, signature_ref=f"ES-{m.person_id}")
    req = verification.verification_request(actor=actor, household=hh)
    verification.verification_run(actor=actor, request=req)


def _to_notice(owner, hh, head, day):
    """Window application → acceptance → 核对 → 入户调查 → 初审 → 公示, every step dated ``day``."""
    app = services.application_submit(actor=owner, household=hh, applicant=head, programs=[Program.DIBAO],
                                      channel=Channel.WINDOW, commitment_signed=True)
    case = app.cases.get()
    t = services.case_transition
    case = t(actor=owner, case=case, to_state=State.ACCEPTED, today=day)
    _authorise_and_verify(owner, hh, day)
    case = t(actor=owner, case=case, to_state=State.VERIFYING, today=day)
    case = t(actor=owner, case=case, to_state=State.INVESTIGATING, today=day)
    services.verification_record(actor=owner, case=case, completed_on=day, summary="核对无差异")
    f.investigate_signed(owner, case, kind=InvestigationKind.HOME_VISIT, visited_on=day, family_signed=True)
    case = t(actor=owner, case=case, to_state=State.TOWNSHIP_REVIEWED, today=day)
    return t(actor=owner, case=case, to_state=State.PUBLIC_NOTICE, today=day)


@pytest.fixture
def hulunbuir(tree):
    tree.city.profile = "hulunbuir"
    tree.city.save()
    return tree


def test_eligible_household_is_approved_with_the_engines_amount_from_next_month(hulunbuir, people):
    today = dt.date.today()
    notice_day = today - dt.timedelta(days=10)
    hh, head = _register(people.owner, hulunbuir.village_a2, [
        ("head", "孙建国", dt.date(1975, 3, 1), 600),
        ("child", "孙小雨", dt.date(2012, 6, 4), 0),
    ])
    case = _to_notice(people.owner, hh, head, notice_day)
    assert case.proposed_monthly_fen and case.proposed_monthly_fen > 0  # the engine's figure, shown at notice
    assert case.notices.get().amount_fen == case.proposed_monthly_fen

    case = services.case_transition(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=today)

    decision = case.decision
    evaluation = Evaluation.objects.get(pk=decision.evaluation_id)
    dibao = program_outcome(evaluation, program="dibao")
    assert dibao.eligible
    ent = Entitlement.objects.get(pk=case.entitlement_id)
    assert ent.monthly_fen == dibao.monthly_fen == decision.monthly_fen
    assert ent.program == Program.DIBAO and ent.covered_members == 2
    assert ent.start_month == decision.start_month == month_after(today)
    assert ent.evaluation_id == evaluation.pk and evaluation.profile == "hulunbuir"
    # The payroll's basis: with it, a new standard changes the amount by itself from its date.
    assert (ent.basis_area, ent.basis_members) == ("urban", 2)
    assert ent.basis_income_fen == evaluation.result["countable_income_fen"]
    assert ent.monthly_fen == evaluation.result["standard_fen"] * 2 - ent.basis_income_fen
    # The engine's own arithmetic (差额): 2 × urban standard − countable income (600 yuan wage less any work
    # deduction), rounded half up to the yuan.
    r = evaluation.result
    assert r["counted_members"] == 2 and r["countable_income_fen"] <= 60_000
    assert dibao.monthly_fen == (2 * r["standard_fen"] - r["countable_income_fen"] + 50) // 100 * 100


def test_engine_says_ineligible_and_approval_is_refused_with_its_chinese_reasons(hulunbuir, people):
    today = dt.date.today()
    notice_day = today - dt.timedelta(days=10)
    hh, head = _register(people.owner, hulunbuir.village_a2, [("head", "周富有", dt.date(1980, 1, 5), 9000)])
    case = _to_notice(people.owner, hh, head, notice_day)
    assert case.proposed_monthly_fen == 0

    with pytest.raises(CaseError) as exc:
        services.case_transition(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=today)
    assert exc.value.code == "not_eligible"
    evaluation = Evaluation.objects.filter(household=hh).latest("id")
    reasons = program_outcome(evaluation, program="dibao").reasons
    assert reasons and all(r in exc.value.message for r in reasons)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.value.message)
    case.refresh_from_db()
    assert case.state == State.PUBLIC_NOTICE and case.entitlement_id is None
    assert not Entitlement.objects.filter(household=hh).exists()
