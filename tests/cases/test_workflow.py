from __future__ import annotations

import datetime as dt

import pytest

from doudi.audit.models import AuditEvent
from doudi.benefits.choices import Program
from doudi.benefits.models import Entitlement
from doudi.cases import services, workflow
from doudi.cases.choices import CaseKind, State, Workflow
from doudi.cases.errors import CaseError
from doudi.cases.models import Case, Decision, PublicNotice, Transition
from doudi.cases.workflow import StepData, TemporaryDetails
from doudi.core.errors import IllegalTransition, NotFoundOrForbidden, PermissionDenied
from doudi.relatives.models import CadreRelative
from tests import factories as f
from tests.cases.conftest import apply, investigate, to_notice

pytestmark = pytest.mark.django_db
T = services.case_transition
TODAY = dt.date.today()
LATER = TODAY + dt.timedelta(days=8)


def _case(app):
    return app.cases.get()


def test_every_workflow_is_registered_by_its_app():
    assert set(workflow.registered_workflows()) == set(Workflow.values)


@pytest.mark.parametrize("wf", Workflow.values)
def test_every_step_missing_from_the_table_is_refused_and_writes_nothing(wf, tree, people, hh, engine):
    table = workflow.workflow_spec(wf).table
    app = apply(people.owner, hh, programs=[Program.TEMPORARY] if wf != Workflow.STANDARD else [Program.DIBAO],
                temporary=TemporaryDetails(type="emergency" if wf == Workflow.EMERGENCY else "expenditure",
                                           cause="fire", requested_fen=100_000))
    case = _case(app)
    if wf == Workflow.ADJUSTMENT:
        case.workflow, case.kind = Workflow.ADJUSTMENT, CaseKind.STOP
        case.save()
    for from_state in State.values:
        Case.objects.filter(pk=case.pk).update(state=from_state)
        for to_state in State.values:
            if to_state in table.get(from_state, {}):
                continue
            before = (Transition.objects.count(), AuditEvent.objects.count(), Decision.objects.count())
            with pytest.raises(IllegalTransition) as exc:
                T(actor=people.county, case=case, to_state=to_state, reason="x")
            assert str(State(from_state).label) in exc.value.message
            assert (Transition.objects.count(), AuditEvent.objects.count(), Decision.objects.count()) == before
            assert Case.objects.get(pk=case.pk).state == from_state


def test_illegal_step_message_is_chinese(people, hh, engine):
    case = to_notice(people.owner, _case(apply(people.owner, hh)))
    Case.objects.filter(pk=case.pk).update(state=State.PUBLIC_NOTICE)
    with pytest.raises(IllegalTransition) as exc:
        T(actor=people.county, case=case, to_state=State.TOWNSHIP_REVIEWED)
    assert exc.value.message == "当前状态“公示中”不能直接进入“乡镇已初审”"


def test_full_dibao_flow_to_entitlement_from_next_month(tree, people, hh, engine):
    case = to_notice(people.owner, _case(apply(people.owner, hh)), today=dt.date(2025, 3, 3))
    notice = PublicNotice.objects.get(case=case)
    assert (notice.ends_on - notice.starts_on).days == 6 and notice.amount_fen == 62_000
    with pytest.raises(CaseError) as exc:
        T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=notice.ends_on)
    assert exc.value.code == "notice_period_running"
    # a township caseworker cannot confirm when the county holds the authority
    with pytest.raises(PermissionDenied):
        T(actor=people.owner, case=case, to_state=State.DECIDED_APPROVED, today=dt.date(2025, 3, 31))
    case = T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=dt.date(2025, 3, 31))
    d = case.decision
    assert d.monthly_fen == 62_000 and d.start_month == dt.date(2025, 4, 1)
    ent = Entitlement.objects.get(household=hh)
    assert ent.start_month == dt.date(2025, 4, 1) and ent.monthly_fen == 62_000 and ent.covered_members == 3
    assert list(case.transitions.values_list("to_state", flat=True)) == [
        "accepted", "verifying", "investigating", "township_reviewed", "public_notice", "decided_approved"]
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk), action="transition").count() == 6
    assert "已批准" in case.application.feedback


def test_out_of_scope_is_not_found_and_viewer_without_change_is_denied(tree, people, hh, engine):
    case = _case(apply(people.owner, hh))
    for actor in (people.colleague, people.outsider):
        with pytest.raises(NotFoundOrForbidden):
            T(actor=actor, case=case, to_state=State.ACCEPTED)
    with pytest.raises(PermissionDenied):
        T(actor=people.auditor, case=case, to_state=State.ACCEPTED)
    assert Transition.objects.count() == 0


def test_village_assistant_cannot_accept(tree, people, hh, village_user, engine):
    case = _case(apply(village_user, hh, channel="village_agent", entrustment="户主书面委托，村委会存档"))
    with pytest.raises(PermissionDenied):
        T(actor=village_user, case=case, to_state=State.ACCEPTED)


def test_agent_application_requires_entrustment(people, hh, village_user):
    with pytest.raises(CaseError) as exc:
        apply(village_user, hh, channel="village_agent")
    assert exc.value.code == "entrustment_required"


def test_return_with_one_time_notice(people, hh, engine):
    case = _case(apply(people.owner, hh))
    with pytest.raises(CaseError):
        T(actor=people.owner, case=case, to_state=State.RETURNED)
    T(actor=people.owner, case=case, to_state=State.RETURNED, data=StepData(missing_items=["户口簿复印件", "残疾证"]))
    case.application.refresh_from_db()
    assert case.application.missing_items == ["户口簿复印件", "残疾证"]
    assert "户口簿复印件、残疾证" in case.application.feedback


def test_verification_needs_authorisation_from_the_verification_app(monkeypatch, people, hh, engine):
    from doudi.cases.services import outcome

    # undo the fixture's stand-in: use the verification app's real check (no authorisation signed yet)
    monkeypatch.undo()
    monkeypatch.setattr(outcome, "case_outcome", lambda **kw: None)
    case = T(actor=people.owner, case=_case(apply(people.owner, hh)), to_state=State.ACCEPTED)
    with pytest.raises(CaseError) as exc:
        T(actor=people.owner, case=case, to_state=State.VERIFYING)
    assert exc.value.code == "authorisation_missing" and "测试0" in exc.value.message
    assert Case.objects.get(pk=case.pk).state == State.ACCEPTED


def test_investigation_needs_two_signed_investigators_and_remote_reason(people, hh, engine):
    case = T(actor=people.owner, case=_case(apply(people.owner, hh)), to_state=State.ACCEPTED)
    with pytest.raises(CaseError) as exc:
        services.investigation_record(actor=people.owner, case=case, kind="home_visit", visited_on=TODAY,
                                      family_signed=True, investigators=[people.owner.pk, people.owner.pk])
    assert exc.value.code == "two_investigators_required" and "2" in exc.value.message
    with pytest.raises(CaseError) as exc:
        investigate(people.owner, case, kind="remote")
    assert exc.value.code == "remote_reason_required"
    inv = investigate(people.owner, case, kind="remote", remote_reason="洪灾封路，视频调查")
    assert not inv.by_county


def test_objection_then_reinvestigation_or_appraisal_then_renotice(people, hh, engine):
    case = to_notice(people.owner, _case(apply(people.owner, hh)))
    case = T(actor=people.owner, case=case, to_state=State.OBJECTION, data=StepData(content="邻居反映其有营运车辆"))
    assert PublicNotice.objects.get(case=case).withdrawn
    case = T(actor=people.owner, case=case, to_state=State.REINVESTIGATING)
    with pytest.raises(CaseError) as exc:
        T(actor=people.owner, case=case, to_state=State.PUBLIC_NOTICE)
    assert exc.value.code == "reinvestigation_missing"
    services.appraisal_record(actor=people.owner, case=case, objection=case.objections.get(), held_on=TODAY,
                              participants=9, result="车辆已转让，维持初审意见")
    case = T(actor=people.owner, case=case, to_state=State.PUBLIC_NOTICE)
    # a case with a complaint during review needs a county home visit (S1 Art 20 ¶2)
    with pytest.raises(CaseError) as exc:
        T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=LATER)
    assert exc.value.code == "county_visit_required"
    investigate(people.county, case)
    # Maker-checker: the county officer who made the home visit may not approve the case too.
    with pytest.raises(PermissionDenied) as exc:
        T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=LATER)
    assert exc.value.code == "maker_checker" and "不能审批" in exc.value.message
    case = T(actor=f.user("county-approver", (people.county.grants.get().region, "civil_affairs")), case=case,
             to_state=State.DECIDED_APPROVED, today=LATER)
    assert case.state == State.DECIDED_APPROVED


def test_relatives_flag_blocks_approval_until_county_home_visit(tree, people, hh, engine):
    member = hh.memberships.order_by("id")[1].person
    CadreRelative.objects.create(region=tree.village_a, cadre_name="王主任", cadre_role="village_committee",
                                 relative_name=member.name, relative_id_number=member.id_number, kinship="child")
    case = to_notice(people.owner, _case(apply(people.owner, hh)))
    app = case.application
    app.refresh_from_db()
    assert app.relatives_flag and "王主任" in app.relatives_note and member.id_number not in app.relatives_note
    # a township visit does not count
    investigate(people.owner, case)
    with pytest.raises(CaseError) as exc:
        T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=LATER)
    assert exc.value.code == "county_visit_required"
    assert not Decision.objects.exists() and not Entitlement.objects.exists()
    inv = investigate(f.partner(people.county), case)
    assert inv.by_county
    assert T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=LATER).state == "decided_approved"


def test_ineligible_cannot_be_approved_and_rejection_has_reasons_and_3_day_notice(people, hh, engine):
    engine.eligible = False
    case = to_notice(people.owner, _case(apply(people.owner, hh)))
    with pytest.raises(CaseError) as exc:
        T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=LATER)
    assert exc.value.code == "not_eligible"
    with pytest.raises(CaseError):
        T(actor=people.county, case=case, to_state=State.DECIDED_REJECTED, today=LATER)
    case = T(actor=people.county, case=case, to_state=State.DECIDED_REJECTED, today=dt.date(2025, 1, 3),
             data=StepData(reasons=["家庭人均收入高于当地低保标准"]))
    assert case.decision.notice_due == dt.date(2025, 1, 8)  # Fri + 3 working days
    assert not Entitlement.objects.exists()


def test_delegated_township_decides_with_20_day_limit(tree, people, hh, engine):
    from doudi.cases.models import LocalitySetting

    LocalitySetting.objects.create(region=tree.county, township_confirms=True)
    case = _case(apply(people.owner, hh))
    assert case.authority_level == "township"
    case = T(actor=people.owner, case=case, to_state=State.ACCEPTED, today=dt.date(2025, 3, 3))
    assert case.overall_due == dt.date(2025, 3, 31)
    # the colleague of another township still cannot touch it
    with pytest.raises(NotFoundOrForbidden):
        T(actor=people.colleague, case=case, to_state=State.VERIFYING)


def test_terminate_needs_reason(people, hh, engine):
    case = _case(apply(people.owner, hh))
    with pytest.raises(CaseError):
        T(actor=people.owner, case=case, to_state=State.TERMINATED)
    case = T(actor=people.owner, case=case, to_state=State.TERMINATED, reason="拒不配合入户调查（S1 第29条）")
    assert case.state == State.TERMINATED


def test_applicant_can_self_apply_for_own_household_only(tree, people, hh, engine):
    me = f.user("citizen", person=hh.memberships.first().person)
    app = services.application_submit(actor=me, household=hh, applicant=me.person, programs=["dibao"],
                                      channel="window", commitment_signed=True)
    assert app.channel == "self_service"
    other = f.household(tree.village_a)
    with pytest.raises(NotFoundOrForbidden):
        services.application_submit(actor=me, household=other, applicant=other.memberships.first().person,
                                    programs=["dibao"], channel="self_service")


def test_residence_application_needs_permit(people, hh):
    with pytest.raises(CaseError) as exc:
        apply(people.owner, hh, place="residence")
    assert exc.value.code == "residence_permit_required"
    hh.has_residence_permit = True
    hh.save()
    assert apply(people.owner, hh, place="residence").place == "residence"


def test_several_programs_one_application(people, hh):
    app = apply(people.owner, hh, programs=["dibao", "temporary"],
                temporary=TemporaryDetails(type="expenditure", cause="education", requested_fen=300_000),
                special_needs=["medical"])
    assert sorted(app.cases.values_list("program", flat=True)) == ["dibao", "temporary"]
    assert app.cases.get(program="temporary").workflow == "expenditure"
