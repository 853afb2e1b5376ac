"""Twelve months in one county with the real engine, the case workflow, the review path and the payroll (issue 8
item 8): a two-person 特困 household in two care tiers is approved as two entitlements and each month's lines pay
exactly what was decided; one of them dies in May and only their payment stops; an overlapping 特困 application for
the same persons is refused; a 低保 household whose wage rose in March phases out over 9 months asked for (within
Hulunbuir's 3–12), paid March–November and not in December, and a re-evaluation never grants the months again."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.benefits.models import Entitlement
from doudi.cases import services
from doudi.cases.choices import Channel, InvestigationKind, State
from doudi.cases.errors import CaseError
from doudi.eligibility.services import evaluation_run, params_for
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine
from doudi.payments.services import payroll_create
from doudi.registry import services as registry
from doudi.reviews.models import ReviewTask
from doudi.reviews.services import review_decide, review_open
from doudi.rules import entitlement_amount
from doudi.verification import services as verification
from tests import factories as f

START = dt.date(2020, 1, 1)
NOTICE, DECIDE = dt.date(2025, 12, 5), dt.date(2025, 12, 20)
MONTHS = [dt.date(2026, m, 1) for m in range(1, 13)]
SELF_CARE = ("eating", "dressing", "bed_transfer", "toileting", "indoor_walking", "bathing")


def _register(actor, village, people):
    hh = registry.household_create(actor=actor, region=village, address="测试社区1号")
    persons = []
    for relationship, name, birth, wage, failed in people:
        p = registry.member_add(actor=actor, household=hh, id_number=f.make_id(birth), name=name,
                                relationship=relationship, valid_from=START).person
        if wage:
            registry.evidence_add(actor=actor, person=p, evidence_type="income", kind="wage", monthly_fen=wage,
                                  valid_from=START)
            registry.evidence_add(actor=actor, person=p, evidence_type="employment", status="employed",
                                  valid_from=START)
        if failed:
            registry.evidence_add(actor=actor, person=p, evidence_type="selfcareassessment", valid_from=START,
                                  **{a: i >= failed for i, a in enumerate(SELF_CARE)})
        persons.append(p)
    hh.bank_name, hh.bank_account, hh.account_holder = "农村信用社", f"6221{hh.pk:012d}", persons[0].name
    hh.save()
    return hh, persons


def _to_notice(owner, hh, head, program):
    app = services.application_submit(actor=owner, household=hh, applicant=head, programs=[program],
                                      channel=Channel.WINDOW, commitment_signed=True)
    case, t = app.cases.get(), services.case_transition
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


def _approve(people, hh, head, program):
    case = _to_notice(people.owner, hh, head, program)
    return services.case_transition(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=DECIDE)


@pytest.fixture
def county(tree):
    tree.city.profile = "hulunbuir"
    tree.city.save()
    return tree


def _engine_now(ent, month):
    """What the engine re-applies for a dated parameter change: amount(basis, month) − amount(basis, decision)."""
    params = params_for("hulunbuir", as_of=month, area=ent.basis_area)
    now = entitlement_amount(program=ent.program, area=ent.basis_area, params=params, members=ent.basis_members,
                             income_fen=ent.basis_income_fen, care_tier=ent.basis_care_level or None)
    return ent.monthly_fen + now - ent.basis_amount_fen


def test_a_county_year(county, people):
    a, (old, wife) = _register(people.owner, county.village_a, [
        ("head", "王老汉", dt.date(1944, 2, 1), 0, 5),    # cannot do 5 of 6 activities: complete
        ("spouse", "李老太", dt.date(1948, 6, 1), 0, 2),  # 2 of 6: partial
    ])
    case = _approve(people, a, old, "tekun")
    tk = {e.person_id: e for e in Entitlement.objects.filter(household=a, program="tekun")}
    assert set(tk) == {old.pk, wife.pk}
    assert (tk[old.pk].basis_care_level, tk[wife.pk].basis_care_level) == ("complete", "partial")
    assert tk[old.pk].monthly_fen > tk[wife.pk].monthly_fen  # own care tier, own amount
    assert case.decision.monthly_fen == sum(e.monthly_fen for e in tk.values())

    with pytest.raises(CaseError) as exc:  # the same persons again: refused, with the rule
        _approve(people, a, old, "tekun")
    assert exc.value.code == "already_covered" and "王老汉已在本县（市、区）享受特困人员救助供养" in exc.value.message

    b, (worker, _child) = _register(people.owner, county.village_a2, [
        ("head", "赵师傅", dt.date(1980, 3, 1), 0, 0), ("child", "赵小妹", dt.date(2015, 3, 1), 0, 0)])
    _approve(people, b, worker, "dibao")
    db = Entitlement.objects.get(household=b, program="dibao")

    wife.date_of_death = dt.date(2026, 5, 10)
    wife.save()
    paid: dict[tuple[int, dt.date], int] = {}
    for month in MONTHS:
        if month == dt.date(2026, 3, 1):  # the wage rises in March; the review grants 渐退 on 20 March
            registry.evidence_add(actor=people.owner, person=worker, evidence_type="income", kind="wage",
                                  monthly_fen=900_000, valid_from=dt.date(2026, 3, 5))
            registry.evidence_add(actor=people.owner, person=worker, evidence_type="employment",
                                  status="employed", valid_from=dt.date(2026, 3, 5))
            task = review_open(actor=people.owner, entitlement=db, reason="report", note="家庭报告就业增收")
            done = review_decide(actor=people.county, task=task, outcome="grace", reason="就业增收超过标准",
                                 grace_months=9, income_rose_on=dt.date(2026, 3, 5), today=dt.date(2026, 3, 20))
            # a second county user decides the 渐退 the review proposed
            f.adjustment_decided(people.owner, f.user("county2", (county.county, "civil_affairs")), done.case,
                                 day=dt.date(2026, 3, 24))
            db.refresh_from_db()
            assert (db.grace_start_month, db.grace_months, db.grace_end_month) == (
                dt.date(2026, 3, 1), 9, dt.date(2026, 11, 1))  # March + 9 − 1
        for program in ("tekun", "dibao"):
            p = payroll_create(actor=people.county, region_code=county.county.code, program=program, month=month)
            payroll_generate(payroll_id=p.pk, actor=people.county)
        for line in PayrollLine.objects.filter(month=month, kind__in=["regular", "grace"]):
            paid[(line.entitlement_id, month)] = line.amount_fen

    for month in MONTHS:
        assert paid.get((tk[old.pk].pk, month)) == _engine_now(tk[old.pk], month)
        # the wife's own entitlement stops in the month of her death; her husband's is untouched
        assert paid.get((tk[wife.pk].pk, month)) == (_engine_now(tk[wife.pk], month) if month.month < 5 else None)
        # 低保 as decided, then 渐退 at the amount it had, March–November; nothing in December
        want = None if month.month == 12 else db.monthly_fen if month.month >= 3 else _engine_now(db, month)
        assert paid.get((db.pk, month)) == want, month

    # memory: a later evaluation keeps the period granted in March; it never grants the months again
    later = evaluation_run(actor=people.owner, household=b, as_of=dt.date(2026, 10, 15))
    assert (later.result["grace"]["start_month"], later.result["grace"]["months"]) == ("2026-03", 9)
    assert ReviewTask.objects.filter(entitlement=db, status="done").count() == 1
