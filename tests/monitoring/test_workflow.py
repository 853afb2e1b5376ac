"""一上一下: push with a deadline, the village visit, the township's confirmation running the response."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from doudi.cases.models import Application
from doudi.core.errors import NotFoundOrForbidden
from doudi.core.workdays import add_working_days
from doudi.monitoring.choices import WarningStatus
from doudi.monitoring.errors import MonitoringError
from doudi.monitoring.models import Alert, Identification
from doudi.monitoring.services import (
    Proposal,
    alert_confirm,
    alert_push,
    alert_return,
    alert_visit,
    discovery_report,
)
from doudi.referrals.models import Referral
from doudi.reviews.models import ReviewTask
from tests import factories as f
from tests.monitoring.conftest import dibao, with_income

pytestmark = pytest.mark.django_db
SIGNED = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def village(tree):
    return f.user("cun", (tree.village_a, "village_assistant"), display_name="甲村协理员")


@pytest.fixture
def alert(tree):
    household = with_income(f.household(tree.village_a, members=2), 300)
    dibao(household)
    return Alert.objects.create(
        key="t:1", rule_code="medical_oop_amount", rule_title="近12个月医疗自付费用较高", severity="orange",
        suggested="refer_medical", deadline_days=10, household=household, region=tree.village_a,
        period=dt.date(2026, 2, 1), measure_fen=2_400_000)


def _visit(actor, alert, response, detail="", reason="", requested_fen=0):
    return alert_visit(actor=actor, alert=alert, visited_on=timezone.localdate(), findings="家中老人住院，自付费用高",
                       proposal=Proposal(response, detail, reason, requested_fen), signature=SIGNED)


def test_push_visit_confirm_refers_the_need_to_the_department(tree, people, village, alert):
    with pytest.raises(NotFoundOrForbidden):  # a village assistant does not push
        alert_push(actor=village, alerts=[alert.pk])
    assert alert_push(actor=people.owner, alerts=[alert.pk]) == 1
    alert.refresh_from_db()
    assert alert.status == WarningStatus.PUSHED
    assert alert.deadline == add_working_days(timezone.localdate(), 10)
    with pytest.raises(MonitoringError) as unsigned:
        alert_visit(actor=village, alert=alert, visited_on=timezone.localdate(), findings="已走访",
                    proposal=Proposal("refer", "medical"), signature=b"")
    assert unsigned.value.code == "signature_required"
    _visit(village, alert, "refer", "medical")
    alert.refresh_from_db()
    assert alert.status == WarningStatus.VISITED
    with pytest.raises(NotFoundOrForbidden):  # another township's caseworker
        alert_confirm(actor=people.colleague, alert=alert)
    alert_confirm(actor=people.owner, alert=alert, note="转医保部门办理医疗救助")
    alert.refresh_from_db()
    referral = Referral.objects.get()
    assert alert.status == WarningStatus.CLOSED and alert.outcome == "refer"
    assert alert.outcome_ref == f"referrals.referral:{referral.pk}" and alert.closed_by == people.owner
    assert referral.need_type == "medical" and referral.department == "medical_security"
    assert list(alert.transitions.values_list("to_status", flat=True)) == ["pushed", "visited", "closed"]


def test_the_visitor_cannot_confirm_their_own_proposal(tree, people, alert):
    alert_push(actor=people.owner, alerts=[alert.pk])
    _visit(people.owner, alert, "dismiss", reason="费用已由商业保险报销")
    with pytest.raises(MonitoringError) as exc:
        alert_confirm(actor=people.owner, alert=alert)
    assert exc.value.code == "same_person"
    alert_confirm(actor=people.county, alert=alert)
    alert.refresh_from_db()
    assert alert.outcome == "dismiss" and alert.outcome_note == "费用已由商业保险报销"


def test_an_application_is_started_prefilled_through_case_intake(tree, people, village, alert):
    alert_push(actor=people.owner, alerts=[alert.pk])
    _visit(village, alert, "apply", "temporary", requested_fen=300_000)
    alert_confirm(actor=people.owner, alert=alert)
    alert.refresh_from_db()
    app = Application.objects.get()
    assert alert.outcome_ref == f"cases.application:{app.pk}"
    assert app.channel == "discovery" and app.programs == ["temporary"] and app.household == alert.household
    assert "近12个月医疗自付费用较高" in app.statement


def test_stop_opens_a_review_of_the_payment(tree, people, village, alert):
    alert_push(actor=people.owner, alerts=[alert.pk])
    _visit(village, alert, "stop")
    alert_confirm(actor=people.owner, alert=alert)
    task = ReviewTask.objects.get()
    assert task.key == f"alert:{alert.pk}" and task.note.startswith("停发核查")
    assert task.entitlement.household == alert.household


def test_identify_proposes_an_identification_by_the_visitor(tree, people, village, alert):
    alert_push(actor=people.owner, alerts=[alert.pk])
    _visit(village, alert, "identify", "rigid")
    alert_confirm(actor=people.owner, alert=alert)
    ident = Identification.objects.get()
    assert ident.proposed_by == village and ident.alert == alert and ident.state == "proposed"


def test_a_proposal_must_be_complete_and_the_township_can_send_it_back(tree, people, village, alert):
    alert_push(actor=people.owner, alerts=[alert.pk])
    for response, detail, code in (("dismiss", "", "reason_required"), ("apply", "", "program_required"),
                                   ("apply", "temporary", "amount_required"), ("refer", "nothing", "need_required")):
        with pytest.raises(MonitoringError) as exc:
            _visit(village, alert, response, detail)
        assert exc.value.code == code
    _visit(village, alert, "refer", "medical")
    alert_return(actor=people.owner, alert=alert, reason="请补充住院票据情况")
    alert.refresh_from_db()
    assert alert.status == WarningStatus.PUSHED
    _visit(village, alert, "refer", "medical")
    assert alert.visits.count() == 2


def test_the_village_reports_a_household_it_found(tree, people, village):
    household = f.household(tree.village_a, members=1)
    report = discovery_report(actor=village, household=household, findings="独居老人，冬季取暖困难",
                              proposal=Proposal("apply", "dibao"), signature=SIGNED)
    assert report.status == WarningStatus.VISITED and report.source == "village"
    assert report.deadline == add_working_days(timezone.localdate(), 10)
    alert_confirm(actor=people.owner, alert=report)
    assert Application.objects.get().programs == ["dibao"]
    with pytest.raises(NotFoundOrForbidden):
        discovery_report(actor=village, household=f.household(tree.village_b), findings="x",
                         proposal=Proposal("apply", "dibao"), signature=SIGNED)



def test_the_report_deadline_is_the_profile_value_not_a_number_in_code(tree, village, tmp_path, monkeypatch):
    from doudi.regions.models import Region

    local = tmp_path / "local.yaml"
    local.write_text("name: local\ntitle: 测试地方\nextends: national\nparams:\n"
                     "  monitoring.report.deadline_days:\n"
                     "    - {value: 3, from: 2020-01-01, illustrative: true, note: 测试}\n", encoding="utf-8")
    monkeypatch.setattr(Region, "effective_profile", lambda self: str(local))
    report = discovery_report(actor=village, household=f.household(tree.village_a, members=1), findings="独居老人",
                              proposal=Proposal("apply", "dibao"), signature=SIGNED)
    assert report.deadline_days == 3
    assert report.deadline == add_working_days(timezone.localdate(), 3)
