"""The monitoring posts read through forms (core.posted): a bad id is a 404, a text longer than its column is a
Chinese message, never a 500, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from doudi.monitoring.choices import WarningStatus
from doudi.monitoring.models import Alert, AlertTransition, LowIncomeMember
from doudi.monitoring.services import alert_push, lowincome_refresh, plan_create, plan_measure_add
from tests import factories as f
from tests.monitoring.conftest import dibao, with_income
from tests.monitoring.test_workflow import _visit

pytestmark = pytest.mark.django_db
NOT_IDS = ["", "abc", "²", "1" * 19, "-3"]


def _page(client, url, data) -> str:
    r = client.post(url, data, follow=True)
    assert r.status_code == 200, r.status_code
    return r.content.decode()


def test_adding_or_ending_an_entry_with_a_bad_id_is_404_and_a_long_reason_a_message(client, people, homes):
    household = homes["well_off"]
    person = household.memberships.get().person_id
    client.force_login(people.owner)
    url = f"/monitoring/households/{household.pk}/"
    for bad in NOT_IDS:
        assert client.post(url + "add", {"person": bad, "reason": "独居老人"}).status_code == 404, bad
        assert client.post(url + "end", {"entry": bad, "reason": "已回乡"}).status_code == 404, bad
    assert client.post(url + "add", {"reason": "独居老人"}).status_code == 404  # missing
    assert "纳入原因不能超过 200 个字" in _page(client, url + "add", {"person": person, "reason": "说" * 201})
    assert not LowIncomeMember.objects.filter(person_id=person, valid_to__isnull=True, source="manual").exists()
    assert "已纳入低收入人口库" in _page(client, url + "add", {"person": person, "reason": "说" * 200})
    row = LowIncomeMember.objects.get(person_id=person, source="manual")
    assert row.reason == "说" * 200
    assert "退出原因不能超过 200 个字" in _page(client, url + "end", {"entry": row.pk, "reason": "说" * 201})
    row.refresh_from_db()
    assert row.valid_to is None and row.end_reason == ""


def test_a_long_confirmation_note_is_refused_and_the_warning_stays_visited(client, tree, people):
    household = with_income(f.household(tree.village_a, members=2), 300)
    dibao(household)
    alert = Alert.objects.create(
        key="t:bad", rule_code="medical_oop_amount", rule_title="近12个月医疗自付费用较高", severity="orange",
        suggested="refer_medical", deadline_days=10, household=household, region=tree.village_a,
        period=dt.date(2026, 2, 1), measure_fen=2_400_000)
    alert_push(actor=people.owner, alerts=[alert.pk])
    _visit(f.user("cun2", (tree.village_a, "village_assistant")), alert, "refer", "medical")
    before = AlertTransition.objects.filter(alert=alert).count()
    client.force_login(people.owner)
    assert "处置说明不能超过 300 个字" in _page(client, f"/monitoring/alerts/{alert.pk}/confirm", {"note": "说" * 301})
    alert.refresh_from_db()
    assert alert.status == WarningStatus.VISITED and AlertTransition.objects.filter(alert=alert).count() == before
    assert "已确认处置" in _page(client, f"/monitoring/alerts/{alert.pk}/confirm", {"note": "说" * 300})
    alert.refresh_from_db()
    assert alert.status == WarningStatus.CLOSED and alert.outcome_note == "说" * 300


def test_pushing_skips_values_that_are_not_ids(client, tree, people):
    household = f.household(tree.village_a)
    alert = Alert.objects.create(key="t:push", rule_code="x", rule_title="x", severity="red", suggested="stop",
                                 deadline_days=10, household=household, region=tree.village_a,
                                 period=dt.date(2026, 2, 1))
    client.force_login(people.owner)
    assert "已下发 0 条预警" in _page(client, "/monitoring/alerts/push", {"alert": NOT_IDS})
    alert.refresh_from_db()
    assert alert.status == WarningStatus.NEW
    assert "已下发 1 条预警" in _page(client, "/monitoring/alerts/push", {"alert": [*NOT_IDS, str(alert.pk)]})
    alert.refresh_from_db()
    assert alert.status == WarningStatus.PUSHED


def test_a_measure_update_with_a_bad_measure_id_is_404(client, tree, people):
    household = with_income(f.household(tree.village_a, members=2), 200)
    dibao(household, start=dt.date(2024, 1, 1))
    lowincome_refresh(actor=people.owner, region_code=tree.town_a.code, as_of=timezone.localdate())
    plan = plan_create(actor=people.owner, household=household, needs="户主住院")
    measure = plan_measure_add(actor=people.owner, plan=plan, department="medical_security", measure="医疗救助")
    client.force_login(people.owner)
    for bad in [*NOT_IDS, None]:
        data = {"status": "done", "note": "已结算"} | ({} if bad is None else {"measure_id": bad})
        assert client.post(f"/monitoring/plans/{plan.pk}/status", data).status_code == 404, bad
    measure.refresh_from_db()
    assert measure.status != "done"
    _page(client, f"/monitoring/plans/{plan.pk}/status", {"measure_id": measure.pk, "status": "done", "note": "已结算"})
    measure.refresh_from_db()
    assert measure.status == "done"


