"""The scan is idempotent and resumable (STYLE.md 7): re-running never creates a second task."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from doudi.core.errors import NotFoundOrForbidden
from doudi.reviews.models import ReviewScan, ReviewTask
from doudi.reviews.services import review_scan
from doudi.reviews.tasks import scan_reviews
from tests import factories as f
from tests.reviews.conftest import entitlement

AS_OF = dt.date(2026, 1, 15)


@pytest.fixture
def ents(tree):
    return [entitlement(f.household(tree.village_a), start=dt.date(2025, 1, 1)) for _ in range(5)]


def _snapshot():
    return sorted(ReviewTask.objects.values_list("entitlement_id", "reason", "key", "due_on"))


def test_running_twice_gives_the_same_tasks(tree, ents):
    first = review_scan(actor=None, region_code=tree.town_a.code, as_of=AS_OF)
    before = _snapshot()
    assert len(before) == 5 and first.state == "done" and first.done_count == 5 and first.created_count == 5
    review_scan(actor=None, region_code=tree.town_a.code, as_of=AS_OF)
    # A new scan on another day (or of the whole county) finds the same open tasks and adds none.
    review_scan(actor=None, region_code=tree.county.code, as_of=AS_OF + dt.timedelta(days=3))
    assert _snapshot() == before


def test_interrupted_scan_resumes_where_it_stopped(tree, ents):
    partial = review_scan(actor=None, region_code=tree.town_a.code, as_of=AS_OF, chunk_size=2, max_chunks=1)
    assert (partial.state, partial.done_count, partial.total_count) == ("running", 2, 5)
    assert ReviewTask.objects.count() == 2
    done = review_scan(actor=None, region_code=tree.town_a.code, as_of=AS_OF, chunk_size=2)
    assert (done.state, done.done_count, done.created_count) == ("done", 5, 5)
    assert ReviewTask.objects.count() == 5
    assert ReviewScan.objects.count() == 1


def test_command_and_task(tree, ents, capsys):
    call_command("reviews", "scan", "--region", tree.town_a.code, "--as-of", AS_OF.isoformat())
    out = capsys.readouterr().out
    assert "5/5" in out and "新建核查任务 5 项" in out
    result = scan_reviews.call(tree.town_a.code, AS_OF.isoformat())
    assert result["state"] == "done" and ReviewTask.objects.count() == 5


def test_scan_only_in_own_jurisdiction(tree, people, ents):
    with pytest.raises(NotFoundOrForbidden):
        review_scan(actor=people.colleague, region_code=tree.town_a.code, as_of=AS_OF)
    far = entitlement(f.household(tree.village_b), start=dt.date(2025, 1, 1))
    review_scan(actor=people.owner, region_code=tree.town_a.code, as_of=AS_OF)
    assert not ReviewTask.objects.filter(entitlement=far).exists()
