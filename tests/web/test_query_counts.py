"""Pages answer in a bounded number of queries: the count does not grow with the rows on the page or the members
of a household (no query per row), and stays under a fixed ceiling (issue 14 item 4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from doudi.benefits.models import Entitlement
from doudi.cases.models import Case
from doudi.payments.models import PayrollLine
from doudi.registry.models import Income, Membership
from doudi.reviews.models import ReviewTask
from doudi.statistics.services import statistics_refresh
from tests import factories as f
from tests.rows import row_in


def _queries(client, url) -> int:
    client.get(url)  # warm caches (sessions, content types, policy profiles) like a running server
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _rows(model, village, n):
    return [row_in(model, village) for _ in range(n)]


@pytest.fixture
def county_client(client, people):
    client.force_login(people.county)
    return client


LISTS = {"registry:household_list": None, "cases:case_list": Case, "reviews:review_list": ReviewTask}


@pytest.mark.parametrize("name", ["registry:household_list", "cases:case_list", "reviews:review_list"])
def test_a_list_costs_the_same_for_few_and_many_rows(county_client, tree, name, django_assert_max_num_queries):
    model = LISTS[name]
    def make():
        return f.household(tree.village_a, members=2) if model is None else row_in(model, tree.village_a)

    make()
    few = _queries(county_client, reverse(name))
    for _ in range(12):
        make()
    many = _queries(county_client, reverse(name))
    assert many == few, f"{name}: {few} queries for one row, {many} for thirteen"
    with django_assert_max_num_queries(12):  # session, user, grants, the estimate, the page, per-page lookups
        county_client.get(reverse(name))


def test_household_list_reads_its_region_filter_in_one_query(county_client, tree, django_assert_max_num_queries):
    f.household(tree.village_a, members=2)
    # session, user, second factor, grants, the region filter (granted regions and the ones below them), the
    # total (on PostgreSQL the planner's estimate first, then an exact count when small), the page, its heads, its
    # member counts
    with django_assert_max_num_queries(10 if connection.vendor == "postgresql" else 9):
        response = county_client.get(reverse("registry:household_list"))
    assert [label.strip("　") for _v, label in response.context["form"].fields["region"].choices][1:] == [
        tree.county.name, tree.town_a.name, tree.town_b.name]


def test_payroll_lines_page_is_bounded(county_client, tree, django_assert_max_num_queries):
    line = row_in(PayrollLine, tree.village_a)
    url = reverse("payments:payroll_detail", args=[line.payroll_id])
    few = _queries(county_client, url)
    for _ in range(10):
        PayrollLine.objects.create(**{
            **{c.attname: getattr(line, c.attname) for c in PayrollLine._meta.concrete_fields if not c.primary_key},
            "reference": f"R{_}", "entitlement_id": Entitlement.objects.create(  # ended: one live 低保 per household
                household=line.household, program="dibao", monthly_fen=1, start_month=dt.date(2026, 1, 1),
                status="ended", end_month=dt.date(2026, 1, 1)).pk,
        })
    assert _queries(county_client, url) == few
    with django_assert_max_num_queries(20):
        county_client.get(url)


def test_household_page_does_not_grow_with_members(county_client, tree, django_assert_max_num_queries):
    small = f.household(tree.village_a, members=1)
    big = f.household(tree.village_a, members=5)
    for m in Membership.objects.filter(household=big):
        Income.objects.create(person=m.person, kind="wage", monthly_fen=100_000, valid_from=dt.date(2024, 1, 1))
    one = _queries(county_client, reverse("registry:household_detail", args=[small.pk]))
    five = _queries(county_client, reverse("registry:household_detail", args=[big.pk]))
    assert five == one, f"household page: {one} queries for one member, {five} for five"
    # 41 before the snapshot and history shared one read, 23 before the add form reused the memberships read
    with django_assert_max_num_queries(22):
        county_client.get(reverse("registry:household_detail", args=[big.pk]))


def test_home_reads_a_fixed_number_of_queries(county_client, tree, django_assert_max_num_queries):
    for _ in range(5):
        f.household(tree.village_a, members=2)
    statistics_refresh()
    # session, user, second factor, grants, the latest refresh, one sum for every figure (the user sees full records
    # wherever they see households: warnings are summed with the rest)
    with django_assert_max_num_queries(6):
        county_client.get(reverse("web:home"))
