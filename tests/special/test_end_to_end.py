"""Special groups end to end with the real engine (issue 12.4): intake → 核对 → investigation → 公示 → decision
(the one who reviewed cannot approve) → payroll line of exactly the decided amount, for 孤儿基本生活费,
困难残疾人生活补贴 and 重度残疾人护理补贴; the exits (turning 18, death); the overlap refused (orphan allowance vs
特困, S2 Art 9)."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.benefits.models import Entitlement
from doudi.cases import services
from doudi.cases.choices import Channel, InvestigationKind, State
from doudi.cases.errors import CaseError
from doudi.cases.models import LocalitySetting
from doudi.core.errors import PermissionDenied
from doudi.eligibility.services import params_for
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine
from doudi.payments.services import payroll_create
from doudi.registry import services as registry
from doudi.verification import services as verification
from tests import factories as f

START = dt.date(2020, 1, 1)
NOTICE, DECIDE = dt.date(2025, 12, 5), dt.date(2025, 12, 20)  # decided in December → paid from January 2026


@pytest.fixture
def county(tree):
    tree.city.profile = "hulunbuir"
    tree.city.save()
    return tree


def _household(actor, village, members):
    hh = registry.household_create(actor=actor, region=village, address="测试村2号")
    persons = []
    for relationship, name, birth in members:
        persons.append(registry.member_add(actor=actor, household=hh, id_number=f.make_id(birth), name=name,
                                           relationship=relationship, valid_from=START).person)
    hh.bank_name, hh.bank_account, hh.account_holder = "农村信用社", f"6221{hh.pk:012d}", persons[0].name
    hh.save()
    return hh, persons


def _to_notice(owner, hh, applicant, program):
    app = services.application_submit(actor=owner, household=hh, applicant=applicant, programs=[program],
                                      channel=Channel.WINDOW, commitment_signed=True)
    case, t = app.cases.get(), services.case_transition
    assert case.program == program
    case = t(actor=owner, case=case, to_state=State.ACCEPTED, today=NOTICE)
    for m in hh.memberships.select_related("person"):
        verification.authorisation_record(actor=owner, household=hh, person=m.person, method="e_signature",
                                          signed_at=NOTICE, signature_ref=f"ES-{m.person_id}")
    verification.verification_run(actor=owner, request=verification.verification_request(actor=owner, household=hh))
    case = t(actor=owner, case=case, to_state=State.VERIFYING, today=NOTICE)
    case = t(actor=owner, case=case, to_state=State.INVESTIGATING, today=NOTICE)
    services.verification_record(actor=owner, case=case, completed_on=NOTICE, summary="核对无差异")
    f.investigate_signed(owner, case, visited_on=NOTICE, kind=InvestigationKind.HOME_VISIT, family_signed=True)
    case = t(actor=owner, case=case, to_state=State.TOWNSHIP_REVIEWED, today=NOTICE)
    return t(actor=owner, case=case, to_state=State.PUBLIC_NOTICE, today=NOTICE)


def _approve(people, hh, applicant, program):
    return services.case_transition(actor=people.county, case=_to_notice(people.owner, hh, applicant, program),
                                    to_state=State.DECIDED_APPROVED, today=DECIDE)


def _pay(actor, program, month):
    payroll = payroll_create(actor=actor, region_code="150702001000", program=program, month=month)
    payroll_generate(payroll_id=payroll.pk, actor=actor)
    return list(PayrollLine.objects.filter(payroll=payroll))


def _standard(key):
    return params_for("hulunbuir", as_of=dt.date(2026, 1, 1), area="rural")[key]


def _orphan_household(people, village):
    hh, (grandma, child) = _household(people.owner, village, [("head", "张奶奶", dt.date(1950, 3, 1)),
                                                               ("grandchild", "张小宝", dt.date(2014, 6, 15))])
    for kind in ("father_dead", "mother_dead"):
        registry.evidence_add(actor=people.owner, person=child, evidence_type="circumstance", kind=kind,
                              valid_from=dt.date(2024, 1, 1))
    registry.evidence_add(actor=people.owner, person=grandma, evidence_type="income", kind="basic_pension",
                          monthly_fen=20_000, valid_from=START)
    return hh, grandma, child


def test_orphan_allowance_from_intake_to_payroll_and_ended_at_eighteen(county, people):
    hh, grandma, child = _orphan_household(people, county.village_a)
    case = _approve(people, hh, grandma, "orphan")
    ent = Entitlement.objects.get(household=hh, program="orphan")
    standard = _standard("special.orphan.standard")
    assert (ent.person_id, ent.monthly_fen, ent.start_month) == (child.pk, standard, dt.date(2026, 1, 1))
    assert ent.end_month == dt.date(2032, 6, 1), "paid through the month of the 18th birthday"
    assert case.decision.monthly_fen == standard and case.decision.evaluation.result["special"]["orphan"]["eligible"]
    (line,) = _pay(people.county, "orphan", dt.date(2026, 1, 1))
    assert (line.person_id, line.amount_fen, line.kind) == (child.pk, standard, "regular")
    assert line.bank_account == hh.bank_account
    # the exit at 18: June 2032 is paid, July 2032 is not
    assert [ln.amount_fen for ln in _pay(people.county, "orphan", dt.date(2032, 6, 1))
            if ln.kind == "regular"] == [standard]
    assert not [ln for ln in _pay(people.county, "orphan", dt.date(2032, 7, 1)) if ln.kind == "regular"]


def test_orphan_allowance_and_tekun_are_not_held_together(county, people):
    hh, grandma, child = _orphan_household(people, county.village_a)
    _approve(people, hh, grandma, "orphan")
    # the same child as 特困 too: refused with the rule (S2 Art 9), whatever 特困 decides for the grandmother
    Entitlement.objects.create(household=hh, person=grandma, program="tekun", monthly_fen=1, start_month=START,
                               status="ended", end_month=dt.date(2020, 1, 1))  # history only, not live
    from doudi.cases.services.overlap import overlap_check

    ev = Entitlement.objects.get(program="orphan").evaluation
    with pytest.raises(CaseError) as exc:
        overlap_check(hh, rows=[{"program": "tekun", "person_id": child.pk}], start=dt.date(2026, 1, 1), evaluation=ev)
    assert exc.value.code == "already_covered" and "张小宝已在本县（市、区）享受孤儿、事实无人抚养儿童基本生活费" in \
        exc.value.message and "第九条" in exc.value.message
    with pytest.raises(CaseError) as exc:  # and the orphan allowance twice
        _approve(people, hh, grandma, "orphan")
    assert exc.value.code == "already_covered"


def _disabled_household(people, village, grade):
    hh, (head, wife) = _household(people.owner, village, [("head", "李大哥", dt.date(1975, 1, 1)),
                                                           ("spouse", "王大嫂", dt.date(1978, 1, 1))])
    registry.evidence_add(actor=people.owner, person=wife, evidence_type="disability", type="physical", grade=grade,
                          valid_from=START)
    return hh, head, wife


def test_disabled_living_subsidy_for_a_dibao_household(county, people):
    hh, head, wife = _disabled_household(people, county.village_a, 2)
    _approve(people, hh, head, "dibao")  # a 低保 family (no income)
    _approve(people, hh, head, "disabled_living")
    ent = Entitlement.objects.get(household=hh, program="disabled_living")
    assert (ent.person_id, ent.monthly_fen, ent.end_month) == (wife.pk, _standard("special.disabled_living.standard"),
                                                               None)
    (line,) = _pay(people.county, "disabled_living", dt.date(2026, 1, 1))
    assert (line.person_id, line.amount_fen) == (wife.pk, ent.monthly_fen)
    # death ends it: a death in March stops the line from March
    wife.date_of_death = dt.date(2026, 3, 10)
    wife.save()
    assert [ln.amount_fen for ln in _pay(people.county, "disabled_living", dt.date(2026, 2, 1))] == [ent.monthly_fen]
    assert _pay(people.county, "disabled_living", dt.date(2026, 3, 1)) == []


def test_disabled_living_refused_outside_the_categories(county, people):
    hh, head, _wife = _disabled_household(people, county.village_a, 2)
    registry.evidence_add(actor=people.owner, person=head, evidence_type="income", kind="wage", monthly_fen=900_000,
                          valid_from=START)
    with pytest.raises(CaseError) as exc:
        _approve(people, hh, head, "disabled_living")
    assert exc.value.code == "not_eligible" and "不属于享受困难残疾人生活补贴的家庭类别" in exc.value.message
    assert not Entitlement.objects.filter(program="disabled_living").exists()


def test_disabled_care_subsidy_and_maker_checker(county, people):
    LocalitySetting.objects.create(region=county.county, township_confirms=True)
    hh, head, wife = _disabled_household(people, county.village_a, 1)
    registry.evidence_add(actor=people.owner, person=head, evidence_type="income", kind="wage", monthly_fen=900_000,
                          valid_from=START)  # not a low-income family: the care subsidy does not look at income
    case = _to_notice(people.owner, hh, head, "disabled_care")
    with pytest.raises(PermissionDenied) as exc:  # who reviewed cannot approve
        services.case_transition(actor=people.owner, case=case, to_state=State.DECIDED_APPROVED, today=DECIDE)
    assert exc.value.code == "maker_checker"
    checker = f.user("checker", (county.town_a, "township_caseworker"))
    services.case_transition(actor=checker, case=case, to_state=State.DECIDED_APPROVED, today=DECIDE)
    ent = Entitlement.objects.get(household=hh, program="disabled_care")
    assert (ent.person_id, ent.monthly_fen) == (wife.pk, _standard("special.disabled_care.standard.severe"))
    (line,) = _pay(people.county, "disabled_care", dt.date(2026, 1, 1))
    assert (line.person_id, line.amount_fen, line.household_id) == (wife.pk, ent.monthly_fen, hh.pk)


def test_intake_screen_offers_the_programs_and_the_panel_shows_the_outcome(client, county, people):
    hh, _grandma, _child = _orphan_household(people, county.village_a)
    client.force_login(people.owner)
    page = client.get(f"/cases/apply/{hh.pk}/").content.decode()
    for label in ("孤儿、事实无人抚养儿童基本生活费", "困难残疾人生活补贴", "重度残疾人护理补贴"):
        assert label in page
    from doudi.eligibility.selectors import evaluation_view
    from doudi.eligibility.services import evaluation_run

    view = evaluation_view(evaluation_run(actor=people.owner, household=hh, as_of=dt.date(2026, 1, 1)))
    (orphan,) = [p for p in view["programs"] if p["code"] == "orphan"]
    assert orphan["outcome"].eligible and orphan["outcome"].monthly_fen == _standard("special.orphan.standard")
