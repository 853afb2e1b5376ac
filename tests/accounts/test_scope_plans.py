"""Scope plans well on PostgreSQL: every region grant becomes one indexed range on the division code, so two or
five grants cost what one does (issue 14 item 3). Checked on the plan itself (EXPLAIN), not on timings."""

from __future__ import annotations

import json

import pytest
from django.db import connection

from doudi.accounts.scoping import prefix_range, region_q
from doudi.registry.models import Household
from tests import factories as f

pytestmark = [pytest.mark.postgres]


def _plan(qs, *, ordered: bool = False) -> dict:
    sql, params = qs.query.sql_with_params()
    with connection.cursor() as cur:
        # Few rows in a test database: without this the planner rightly prefers a sequential scan. With it, a
        # condition the index cannot serve shows up as a Filter over a full index scan, which is what we look for.
        cur.execute("SET LOCAL enable_seqscan = off")
        if ordered:  # the plan of a big table: the index read in the list's order, no bitmap and sort
            cur.execute("SET LOCAL enable_bitmapscan = off")
            cur.execute("SET LOCAL enable_sort = off")
        cur.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        doc = cur.fetchone()[0]  # psycopg already decodes the json column
        return (json.loads(doc) if isinstance(doc, str) else doc)[0]["Plan"]


def _nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from _nodes(child)


def _user_with_grants(tree, towns):
    return f.user("multi", *[(t, "township_caseworker") for t in towns])


def test_neighbouring_grants_merge_into_one_range(tree):
    from doudi.accounts.scoping import _merged

    assert _merged([prefix_range("150702002"), prefix_range("150702001")]) == [("150702001", "150702002999")]
    assert len(_merged([prefix_range("150702001"), prefix_range("150702003")])) == 2
    assert _merged([prefix_range("1507"), prefix_range("150702001")]) == [("1507", "150799999999")]


def test_prefix_range_selects_exactly_the_codes_under_the_prefix():
    lo, hi = prefix_range("150702001")
    inside = ["150702001000", "150702001001", "150702001999"]
    outside = ["150702000999", "150702002000", "150703001001", "15070200"]
    assert all(lo <= c <= hi for c in inside)
    assert not any(lo <= c <= hi for c in outside)


@pytest.mark.parametrize("grants", [1, 2, 5])
def test_each_grant_is_one_index_range_on_the_household_region(tree, grants):
    towns = [tree.town_a]
    for i in range(2, grants + 1):  # every other township: grants that are not neighbours
        towns.append(f.region(f"150702{2 * i + 1:03d}000", f"第{i}镇", "township", tree.county))
    expected_ranges = grants
    for town in towns:
        village = f.region(town.code[:9] + "001", "村", "village", town)
        for _ in range(3):
            f.household(village)
    user = _user_with_grants(tree, towns[:grants])
    qs = Household.objects.restrict(user, "view")
    assert qs.count() == 3 * grants

    for ordered in (qs.order_by("number")[:25], qs.order_by("region_id", "number")[:25]):
        nodes = list(_nodes(_plan(ordered)))
        dump = json.dumps(nodes, ensure_ascii=False)[:2000]
        scans = [n for n in nodes if "Index Name" in n or n.get("Relation Name") == "registry_household"]
        bounded = [n for n in scans if "region_id" in n.get("Index Cond", "")]
        # One index range per grant (neighbouring grants are one range); never the whole index with the grants
        # checked row by row, never a sequential scan.
        assert len(bounded) == expected_ranges, f"index ranges on the region code: {dump}"
        for n in bounded:
            assert ">=" in n["Index Cond"] and "<=" in n["Index Cond"], dump
        assert all(n in bounded or n["Node Type"] == "Bitmap Heap Scan" for n in scans), dump
        assert not any(n["Node Type"] == "Seq Scan" for n in nodes), dump


def test_region_q_is_ranges_not_pattern_matches():
    sql = str(Household.objects.filter(region_q("region__code", ["150702001", "150702003"])).query)
    assert "LIKE" not in sql.upper() and sql.count(">=") == 2  # one range per grant (not neighbours)
    merged = str(Household.objects.filter(region_q("region__code", ["150702001", "150702002"])).query)
    assert "LIKE" not in merged.upper() and merged.count(">=") == 1, "neighbouring townships are one range"


def test_far_apart_grants_give_a_span_and_the_last_page_starts_at_its_end(tree):
    """The last household-list page of a user with two townships apart in the code starts its backward index scan at
    the last grant's end (``scoping.region_span``), not at the end of the whole index (4 s at a million
    households for the bench's county user)."""
    from django.test import RequestFactory

    from doudi.accounts.scoping import region_span
    from doudi.core.paging import KeysetPaginator
    from doudi.registry.selectors import household_list

    far = f.region("150702009000", "第九镇", "township", tree.county)
    above = f.region("150703000000", "第三区", "county", tree.city)
    for town in (tree.town_a, far, above):
        village = f.region(town.code[:9] + "001", "村", "village", town)
        for _ in range(3):
            f.household(village)
    user = _user_with_grants(tree, [tree.town_a, far])
    assert region_span(user, "view") == ("150702001", "150702009999")
    assert region_span(f.user("one", (tree.town_a, "township_caseworker")), "view") is None  # one range: no span
    assert region_span(f.user("next", (tree.town_a, "township_caseworker"), (tree.town_b, "township_caseworker")),
                       "view") is None, "neighbouring grants are one range"

    paginator = KeysetPaginator(household_list(actor=user), 25, span=region_span(user, "view"))
    last = paginator._from_end(paginator.qs, backwards=True).order_by(*paginator._order(True))[:26]
    nodes = list(_nodes(_plan(last, ordered=True)))
    dump = json.dumps(nodes, ensure_ascii=False)[:2000]
    scans = [n for n in nodes if n.get("Relation Name") == "registry_household"]
    assert scans and all(n["Scan Direction"] == "Backward" for n in scans), dump
    # Without the span the backward scan has no index condition at all (the grants are only a Filter).
    assert all("<= '150702009999'" in n.get("Index Cond", "") for n in scans), dump
    last_three = KeysetPaginator(household_list(actor=user), 3, span=region_span(user, "view")).page(
        RequestFactory().get("/registry/", {"last": "1"}))
    assert [h.region_id for h in last_three.object_list] == [far.code[:9] + "001"] * 3, "the grant above is not shown"


def _sorts(plan: dict) -> list[str]:
    return [n["Node Type"] for n in _nodes(plan) if "Sort" in n["Node Type"]]


def test_payroll_lines_and_review_tasks_page_in_index_order(tree):
    """The payroll page (lines by village, then id) and the review list (by due date, then id) read a page as a
    range of an index in their order: with sorting disabled the plan still has no sort. Without those indexes a
    city's page read and sorted a thousand rows (docs/benchmarks.md, Web)."""
    from doudi.core.paging import KeysetPaginator
    from doudi.payments.models import PayrollLine
    from doudi.reviews.models import ReviewTask
    from tests.rows import row_in

    line = row_in(PayrollLine, tree.village_a)
    row_in(ReviewTask, tree.village_a)
    lines = KeysetPaginator(PayrollLine.objects.filter(payroll_id=line.payroll_id).order_by("region_code", "id"), 100)
    tasks = KeysetPaginator(ReviewTask.objects.order_by("due_on", "id"), 50)
    for paginator in (lines, tasks):
        plan = _plan(paginator.qs[:101], ordered=True)
        assert not _sorts(plan), json.dumps(plan, ensure_ascii=False)[:1500]
