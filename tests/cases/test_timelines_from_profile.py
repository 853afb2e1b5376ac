"""Timelines are profile data (issue 8 item 7): the 公示 days, the investigation start and the county's opinion come
from ``procedure.*`` (the national values by default); a locality's dated value changes them without code."""

from __future__ import annotations

import datetime as dt

from doudi.cases.services.deadlines import notice_end
from doudi.core.workdays import add_working_days
from doudi.policy.services import policy_value_create
from tests.cases.conftest import apply, to_notice

DAY = dt.date(2025, 3, 3)


def test_national_timelines_then_a_local_change(people, hh, engine):
    case = to_notice(people.owner, apply(people.owner, hh).cases.get(), today=DAY)
    assert case.notices.get().ends_on == DAY + dt.timedelta(days=6)  # 7 days (S1 Art 19)
    assert case.overall_due == add_working_days(DAY, 30)  # S1 Art 22
    assert case.step_due == add_working_days(DAY + dt.timedelta(days=6), 10)  # S1 Art 20
    policy_value_create(actor=None, profile="national", key="procedure.notice_days", value=10,
                        valid_from=dt.date(2025, 1, 1), illustrative=True, note="测试：公示10天")
    policy_value_create(actor=None, profile="national", key="procedure.total_workdays", value=25,
                        valid_from=dt.date(2025, 1, 1), illustrative=True, note="测试：25个工作日办结")
    assert notice_end(case, today=DAY) == DAY + dt.timedelta(days=9)
    other = to_notice(people.owner, apply(people.owner, hh).cases.get(), today=DAY)
    assert other.notices.get().ends_on == DAY + dt.timedelta(days=9)
    assert other.overall_due == add_working_days(DAY, 25)
