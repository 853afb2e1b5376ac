"""One household, one plan (一户一策): only for households in the low-income database, measures and follow-ups."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from doudi.core.errors import NotFoundOrForbidden
from doudi.monitoring.errors import MonitoringError
from doudi.monitoring.services import (
    lowincome_refresh,
    plan_close,
    plan_create,
    plan_follow_up,
    plan_measure_add,
    plan_measure_update,
)
from tests import factories as f
from tests.monitoring.conftest import dibao, with_income

pytestmark = pytest.mark.django_db


def test_a_plan_for_a_monitored_household_with_measures_and_follow_ups(tree, people):
    household = with_income(f.household(tree.village_a, members=2), 200)
    stranger = f.household(tree.village_a)
    dibao(household, start=dt.date(2024, 1, 1))
    lowincome_refresh(actor=people.owner, region_code=tree.town_a.code, as_of=timezone.localdate())
    with pytest.raises(MonitoringError) as exc:
        plan_create(actor=people.owner, household=stranger, needs="x")
    assert exc.value.code == "not_monitored"
    with pytest.raises(NotFoundOrForbidden):
        plan_create(actor=people.colleague, household=household, needs="x")
    plan = plan_create(actor=people.owner, household=household, needs="户主住院，子女上学")
    with pytest.raises(MonitoringError):
        plan_create(actor=people.owner, household=household, needs="第二份")
    measure = plan_measure_add(actor=people.owner, plan=plan, department="medical_security", measure="医疗救助")
    plan_measure_update(actor=people.owner, measure=measure, status="done", note="已结算")
    plan_follow_up(actor=people.owner, plan=plan, visited_on=timezone.localdate(), note="已回访",
                   next_follow_up=timezone.localdate() + dt.timedelta(days=30))
    plan.refresh_from_db()
    assert plan.measures.get().status == "done" and plan.follow_ups.count() == 1 and plan.next_follow_up
    plan_close(actor=people.owner, plan=plan, reason="家庭收入恢复")
    plan.refresh_from_db()
    assert plan.status == "closed"
    assert plan_create(actor=people.owner, household=household, needs="新的困难").pk != plan.pk
