"""The scan reads a chunk with a fixed number of queries, however many households it holds (the profile of each
household's area comes with its region chain, not a query per level per household)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from doudi.reviews.models import ReviewScan, ReviewTask
from doudi.reviews.services import review_scan
from tests import factories as f
from tests.reviews.conftest import entitlement

AS_OF = dt.date(2026, 1, 15)


def _scan_queries(tree, new_households: int) -> int:
    for _ in range(new_households):
        entitlement(f.household(tree.village_a), start=dt.date(2025, 1, 1))
    ReviewTask.objects.all().delete()
    ReviewScan.objects.all().delete()
    with CaptureQueriesContext(connection) as ctx:
        review_scan(actor=None, region_code=tree.town_a.code, as_of=AS_OF)
    return len(ctx.captured_queries)


def test_scan_queries_do_not_grow_with_households(tree):
    few = _scan_queries(tree, 2)
    many = _scan_queries(tree, 8)
    assert many == few
