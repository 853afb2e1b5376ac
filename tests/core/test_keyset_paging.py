"""Keyset paging: every row exactly once, forwards and backwards, from the end, after a jump; bad cursors never fail."""

from __future__ import annotations

import pytest
from django.db.models import F
from django.test import RequestFactory

from doudi.audit.models import AuditEvent
from doudi.core.paging import KeysetPage, paginate
from doudi.registry.models import Household
from tests import factories as f


def _get(**params):
    return RequestFactory().get("/list/", params)


def _walk(qs, per_page, backwards=False):
    """Follow the next (or previous, from the last page) links to the end; return the pages' rows."""
    page = paginate(_get(**({"last": "1"} if backwards else {})), qs, per_page)
    pages = [list(page)]
    while page.has_previous if backwards else page.has_next:
        cursor = {"before": page.first_cursor} if backwards else {"after": page.last_cursor}
        page = paginate(_get(**cursor), qs, per_page)
        pages.append(list(page))
    return pages[::-1] if backwards else pages


@pytest.fixture
def households(tree):
    return [f.household(v) for v in (tree.village_a, tree.village_a2, tree.village_b) for _ in range(4)]


def test_forwards_and_backwards_give_every_row_once_in_order(households):
    qs = Household.objects.order_by("number")
    expected = list(qs)
    for per_page in (1, 5, 12, 50):
        forwards = _walk(qs, per_page)
        assert [h for p in forwards for h in p] == expected
        assert all(len(p) == per_page for p in forwards[:-1])
        backwards = _walk(qs, per_page, backwards=True)
        assert [h for p in backwards for h in p] == expected


def test_a_nullable_key_with_ties_pages_in_both_directions(tree):
    for i in range(11):
        AuditEvent.objects.create(action="view", object_type="x", object_id=str(i), region_code=tree.village_a.code,
                                  ip=None if i % 3 == 0 else f"10.0.0.{i % 4}")
    everything = set(AuditEvent.objects.values_list("pk", flat=True))
    for desc in (False, True):
        ip = F("ip").desc(nulls_first=True) if desc else F("ip").asc(nulls_last=True)
        expected = list(AuditEvent.objects.order_by(ip, "-pk" if desc else "pk").values_list("pk", flat=True))
        for per_page in (2, 4):
            qs = AuditEvent.objects.order_by("-ip" if desc else "ip")  # ties broken by the id, same direction
            forwards = [e.pk for p in _walk(qs, per_page) for e in p]
            assert forwards == expected and set(forwards) == everything
            assert [e.pk for p in _walk(qs, per_page, backwards=True) for e in p] == expected
    by_time = [e.pk for p in _walk(AuditEvent.objects.order_by("-at", "-id"), 3) for e in p]
    assert by_time == list(AuditEvent.objects.order_by("-at", "-id").values_list("pk", flat=True))


def test_jump_starts_at_the_typed_key(households):
    qs = Household.objects.order_by("number")
    target = list(qs)[6]
    page = paginate(_get(**{"from": target.number}), qs, 3)
    assert isinstance(page, KeysetPage) and page.object_list[0] == target and page.has_previous
    dates = paginate(_get(**{"from": "not a date"}), AuditEvent.objects.order_by("-at", "-id"), 3)
    assert dates.object_list == [] and not dates.has_previous, "no events, and a bad date is no jump"


@pytest.mark.parametrize("cursor", ["", "!!!", "W10", "WyJ4IiwiYSJd", "bnVsbA", "WzEsMiwzXQ"])
def test_a_tampered_cursor_shows_the_first_page(households, cursor):
    qs = Household.objects.order_by("number")
    for key in ("after", "before"):
        assert list(paginate(_get(**{key: cursor}), qs, 5)) == list(qs[:5])


def test_filters_are_kept_and_the_total_is_counted(households, tree):
    qs = Household.objects.filter(region__code__startswith=tree.town_a.code[:9]).order_by("number")
    page = paginate(_get(q="x", after=""), qs, 5)
    assert page.querystring == "q=x" and page.filters == [("q", "x")]
    assert page.paginator.count == qs.count() == 8 and page.exact  # SQLite: exact; PostgreSQL: small, so exact
    assert page.paginator.num_pages == 2


def test_old_page_numbers_still_work(households):
    qs = Household.objects.order_by("number")
    page = paginate(_get(page="2"), qs, 5)
    assert list(page.object_list) == list(qs[5:10]) and not page.keyset


@pytest.mark.parametrize("params", [
    {"after": "WyIwMDAxLTAxLTAxIiwxXQ"},  # ["0001-01-01",1]: naive, and before 0001-01-01 in UTC east of Greenwich
    {"before": "WyIwMDAxLTAxLTAxIiwxXQ"},
    {"from": "0001-01-01"}, {"from": "9999-12-31"},
])
@pytest.mark.parametrize("order", ["at", "-at"])
def test_a_date_at_the_end_of_the_calendar_is_no_server_error(tree, params, order):
    AuditEvent.objects.create(action="view", object_type="x", object_id="1", region_code=tree.village_a.code)
    page = paginate(_get(**params), AuditEvent.objects.order_by(order, "id"), 5)
    assert isinstance(page, KeysetPage) and len(page.object_list) <= 1


def test_a_span_bounds_the_reads_from_either_end_and_keeps_every_row(tree, households):
    """``span`` (the first and last code of far-apart grants) is only where an index scan starts: the rows of every
    page, forwards and backwards, are the same as without it, and the bound is in the query of the first and last
    page."""
    f.household(tree.village_a2)
    qs = Household.objects.filter(region__code__in=[tree.village_a.code, tree.village_b.code]).order_by(
        "region_id", "number")
    span = (tree.village_a.code, tree.village_b.code)
    expected = list(qs)
    for per_page in (1, 5, 50):
        pages, page = [], paginate(_get(), qs, per_page, span=span)
        pages.append(list(page))
        while page.has_next:
            page = paginate(_get(after=page.last_cursor), qs, per_page, span=span)
            pages.append(list(page))
        assert [h for p in pages for h in p] == expected
        pages, page = [], paginate(_get(last="1"), qs, per_page, span=span)
        pages.append(list(page))
        while page.has_previous:
            page = paginate(_get(before=page.first_cursor), qs, per_page, span=span)
            pages.append(list(page))
        assert [h for p in pages[::-1] for h in p] == expected

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for params, bound in (({}, f">= '{tree.village_a.code}'"), ({"last": "1"}, f"<= '{tree.village_b.code}'")):
        with CaptureQueriesContext(connection) as ctx:
            paginate(_get(**params), qs, 5, span=span)
        page_sql = [q["sql"] for q in ctx.captured_queries if "LIMIT" in q["sql"]]
        assert page_sql and all(bound in s.replace('"', "'") or bound.replace("'", "") in s for s in page_sql), page_sql
