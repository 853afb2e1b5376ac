"""Temporary assistance from the profile (issue 8 item 6): the township limit, the emergency deadline and the
reserve floor are the region's profile values (none hard-coded for every locality), and intake shows the band."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from doudi.cases import services
from doudi.cases.workflow import TemporaryDetails
from doudi.policy.services import policy_value_create
from doudi.temporary.services.reserve import reserve_min_fen


def _apply(people, hh, type_, fen, cause="serious_illness"):
    return services.application_submit(
        actor=people.owner, household=hh, applicant=hh.memberships.first().person, programs=["temporary"],
        channel="window", commitment_signed=True,
        temporary=TemporaryDetails(type=type_, cause=cause, requested_fen=fen)).cases.get()


def test_township_limit_is_the_profiles_and_moves_with_a_dated_value(tree, people, hh, engine):
    assert _apply(people, hh, "expenditure", 270_000).authority_level == "township"  # national: 2 700 yuan
    assert _apply(people, hh, "expenditure", 270_100).authority_level == "county"
    policy_value_create(actor=None, profile="national", key="temporary.township_limit", value=5000,
                        valid_from=dt.date(2020, 1, 1), illustrative=True, note="测试：乡镇审批额度5000元")
    assert _apply(people, hh, "expenditure", 270_100).authority_level == "township"


def test_emergency_deadline_and_reserve_floor_only_where_the_profile_sets_them(tree, people, hh, engine):
    case = _apply(people, hh, "emergency", 100_000, cause="fire")
    assert case.step_due is None and reserve_min_fen(tree.town_a) == 0  # national: neither is set
    tree.city.profile = "shiqiao"  # 24 hours, 50 000 yuan ([004] 五)
    tree.city.save()
    case = _apply(people, hh, "emergency", 100_000, cause="fire")
    assert case.step_due == timezone.localdate() + dt.timedelta(days=1)
    assert reserve_min_fen(tree.town_a) == 5_000_000


def test_intake_shows_the_band(client, people, hh):
    client.force_login(people.owner)
    form = client.get(f"/cases/apply/{hh.pk}/").content.decode()
    assert f"/temporary/band/{hh.pk}/" in form and "temp_severity" in form
    frag = client.get(f"/temporary/band/{hh.pk}/", {"temp_type": "expenditure", "temp_cause": "serious_illness",
                                                     "temp_severity": "general", "temp_amount": "30000"})
    text = frag.content.decode()
    assert frag.status_code == 200 and "当地救助档次" in text and "一事一议" in text
    client.force_login(people.colleague)  # another township's household: not found
    assert client.get(f"/temporary/band/{hh.pk}/").status_code == 404
