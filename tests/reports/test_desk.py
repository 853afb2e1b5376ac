"""The desk: each person's work for today, and the dashboards for county and city staff only, from the aggregates."""

from __future__ import annotations

import json
import re

from doudi.hotline.services import TicketInput, ticket_create
from doudi.reports.selectors import desk_data, is_director, todo_for
from doudi.statistics.services import statistics_refresh
from tests import factories as f
from tests.reviews.conftest import entitlement


def test_todo_lists_the_persons_own_queue(tree, people):
    ticket_create(actor=people.owner, data=TicketInput(kind="help", channel="phone", summary="求助",
                                                       region=tree.town_a))
    mine = {t.label: t.count for t in todo_for(people.owner)}
    assert mine.get("待受理的热线工单") == 1
    assert "待受理的热线工单" not in {t.label for t in todo_for(people.colleague)}
    assert todo_for(people.outsider) == []


def test_dashboards_are_for_county_and_city_and_read_the_aggregates(client, tree, people):
    for v in (tree.village_a, tree.village_a2, tree.village_b):
        entitlement(f.household(v, members=2))
    statistics_refresh()
    assert is_director(people.county) and is_director(people.auditor) and not is_director(people.owner)
    data = desk_data(people.county)
    assert data["totals"]["entitlements"] == 3
    assert {a["name"]: a["entitlements"] for a in data["areas"]} == {"甲镇": 2, "乙镇": 1}
    client.force_login(people.county)
    html = client.get("/desk/").content.decode()
    payload = json.loads(re.search(r'<script id="desk-data" type="application/json">(.*?)</script>', html).group(1))
    assert payload["totals"]["entitlements"] == 3 and "局长工作台" in html
    client.force_login(people.owner)
    html = client.get("/desk/").content.decode()
    assert "局长工作台" not in html and "desk-data" not in html
    assert client.get("/").status_code == 200


def test_the_supervisors_view_for_county_and_auditor_only(client, tree, people):
    from doudi.cases.models import Application

    hh = f.household(tree.village_a, members=2)
    Application.objects.create(number="SQ1", household=hh, applicant=hh.memberships.first().person,
                               region=tree.village_a, channel="window", relatives_flag=True,
                               relatives_note="申请人为村委会成员之兄")
    for user in (people.county, people.auditor):
        client.force_login(user)
        html = client.get("/desk/oversight/").content.decode()
        assert "近亲属备案的申请（1 件）" in html and "申请人为村委会成员之兄" in html
    client.force_login(people.owner)
    assert client.get("/desk/oversight/").status_code == 404


def test_seed_targets_come_from_the_profile_with_the_care_records_actuals(tree, people):
    from doudi.reports.selectors import targets

    tree.county.profile = "shiqiao"
    tree.county.save()
    shown = {t["label"]: t for t in targets(people.county, region=tree.county)}
    beds = shown["护理型床位占比"]
    assert beds["target"] == "55%" and beds["actual"] == "—" and beds["met"] is None  # no institutions recorded
    assert shown["失能、半失能特困人员集中供养率"]["target"] == "60%"
    assert targets(people.county, region=None) == []


def test_the_supervisors_view_links_each_relatives_application_to_its_latest_case_in_fixed_queries(client, tree,
                                                                                                   people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from doudi.cases.models import Application, Case

    def add(n: int) -> Application:
        hh = f.household(tree.village_a, members=1)
        app = Application.objects.create(number=f"SQ{n}", household=hh, applicant=hh.memberships.first().person,
                                         region=tree.village_a, channel="window", relatives_flag=True)
        for _ in range(2):
            Case.objects.create(application=app, household=hh, region=tree.village_a, program="dibao",
                                workflow="standard", authority_level="county")
        return app

    def shown() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            html = client.get("/desk/oversight/").content.decode()
        return len(ctx.captured_queries), html

    client.force_login(people.county)
    first = add(1)
    before, html = shown()
    assert f"/cases/{first.cases.order_by('-created_at', '-id').first().pk}/" in html
    for n in range(2, 5):
        add(n)
    after, html = shown()
    assert after == before and "近亲属备案的申请（4 件）" in html
