"""The screens around the workflow: locality settings, starting an adjustment from the household page, the household
case panel and the applicant's one feedback list."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.benefits.models import Entitlement
from doudi.cases import services
from doudi.cases.models import Case, Feedback, LocalitySetting
from doudi.cases.workflow import StepData
from doudi.referrals import services as referral_services
from doudi.selfservice.selectors import applicant_feedback
from tests.cases.conftest import apply, head


@pytest.fixture
def ent(hh):
    return Entitlement.objects.create(household=hh, program="dibao", monthly_fen=62_000, covered_members=3,
                                      start_month=dt.date(2025, 1, 1))


def test_locality_settings_are_set_by_civil_affairs_and_drive_new_cases(client, tree, people, hh, engine):
    client.force_login(people.owner)
    assert client.get("/cases/settings/").status_code == 404  # a township never sets its own limit
    client.force_login(people.county)
    assert "甲镇" in client.get("/cases/settings/").content.decode()
    page = client.get("/cases/settings/").content.decode()
    # the temporary-assistance limits are the profile's, shown with their provenance (national: illustrative)
    assert "乡镇临时救助审批额度" in page and "2,700.00" in page and "示意值" in page
    client.post("/cases/settings/", {"region": tree.town_a.code, "township_confirms": "on"})
    setting = LocalitySetting.objects.get(region=tree.town_a)
    assert setting.township_confirms
    case = apply(people.owner, hh).cases.get()
    assert case.authority_level == "township"


def test_adjustment_is_started_from_the_households_entitlement(client, people, hh, ent):
    client.force_login(people.owner)
    page = client.get(f"/registry/households/{hh.pk}/").content.decode()
    assert "在保待遇" in page and "620.00" in page and f"/cases/adjust/{ent.pk}/" in page
    response = client.post(f"/cases/adjust/{ent.pk}/", {"kind": "decrease", "amount": "400", "reason": "家庭成员就业"})
    case = Case.objects.get(entitlement=ent)
    assert response.url == f"/cases/{case.pk}/"
    assert case.kind == "decrease" and case.proposed_monthly_fen == 40_000
    client.force_login(people.colleague)
    assert client.get(f"/cases/adjust/{ent.pk}/").status_code == 404


def test_household_panel_shows_only_the_actions_the_user_may_take(client, people, hh, ent):
    client.force_login(people.owner)
    page = client.get(f"/registry/households/{hh.pk}/").content.decode()
    for label in ("受理申请", "一户一案", "核对", "转办"):
        assert label in page
    client.force_login(people.auditor)  # read-only: sees the archive and the entitlement, no action buttons
    page = client.get(f"/registry/households/{hh.pk}/").content.decode()
    assert "一户一案" in page and "620.00" in page
    assert "受理申请" not in page and f"/cases/adjust/{ent.pk}/" not in page


def test_caseworker_nav_has_cases_and_overdue(client, people, village_user):
    client.force_login(people.owner)
    page = client.get("/").content.decode()
    assert "救助案件" in page and "/cases/?overdue=1" in page
    client.force_login(people.auditor)
    assert "/cases/?overdue=1" not in client.get("/").content.decode()


def test_applicant_feedback_keeps_every_line_and_merges_referral_answers(tree, people, hh, engine):
    from doudi.cases.choices import State

    app = apply(people.owner, hh)
    case = app.cases.get()
    services.case_transition(actor=people.owner, case=case, to_state=State.RETURNED,
                             data=StepData(missing_items=["户口簿"]))
    services.case_transition(actor=people.owner, case=case, to_state=State.SUBMITTED)
    services.case_transition(actor=people.owner, case=case, to_state=State.ACCEPTED)
    referral_services.referral_create(actor=people.owner, household=hh, need_type="medical", need_detail="住院费用")
    assert Feedback.objects.filter(application=app).count() == 3  # received, 补正, accepted
    items = applicant_feedback(household=hh)
    texts = [i["text"] for i in items]
    assert any("户口簿" in t for t in texts) and any("受理" in t for t in texts)
    assert any("转办" in i["topic"] for i in items)
    assert items[-1]["text"].startswith("已收到")  # oldest last


def test_self_service_shows_the_merged_history(client, tree, people, hh, engine):
    from doudi.accounts.models import User
    from doudi.cases.choices import State

    applicant = User.objects.create_user(username="citizen", password="x", person=head(hh))
    case = apply(people.owner, hh).cases.get()
    services.case_transition(actor=people.owner, case=case, to_state=State.RETURNED,
                             data=StepData(missing_items=["户口簿"]))
    services.case_transition(actor=people.owner, case=case, to_state=State.SUBMITTED)
    services.case_transition(actor=people.owner, case=case, to_state=State.ACCEPTED)
    client.force_login(applicant)
    page = client.get("/selfservice/").content.decode()
    assert "请一次性补齐以下材料：户口簿" in page and "受理，正在办理" in page
