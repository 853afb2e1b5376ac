"""The maintained aggregates: what a refresh stores, whose jurisdiction a user sums, resuming, and the home page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from doudi.benefits.models import Entitlement
from doudi.cases.models import Case
from doudi.monitoring.models import Alert
from doudi.payments.models import PayrollLine
from doudi.registry.models import Household, Membership
from doudi.statistics import services
from doudi.statistics.models import Figure, Refresh
from doudi.statistics.selectors import figures_for
from doudi.statistics.services import statistics_refresh
from tests import factories as f
from tests.rows import row_in

DAY = dt.date(2026, 3, 15)


@pytest.fixture
def caseload(tree):
    a = [f.household(tree.village_a, members=2), f.household(tree.village_a2, members=1)]
    b = f.household(tree.village_b, members=3)
    for h in (a[0], b):
        Entitlement.objects.create(household=h, program="dibao", monthly_fen=50_000, start_month=dt.date(2026, 1, 1))
    Entitlement.objects.create(household=a[1], program="dibao", status="ended", monthly_fen=1,
                               start_month=dt.date(2025, 1, 1))
    row_in(Case, tree.village_a)  # submitted: open
    closed = row_in(Case, tree.village_a)
    Case.objects.filter(pk=closed.pk).update(state="closed")
    row_in(Case, tree.village_b)
    row_in(Alert, tree.village_b)
    line = row_in(PayrollLine, tree.village_a)
    PayrollLine.objects.filter(pk=line.pk).update(month=DAY.replace(day=1), amount_fen=123_450)
    return a, b


def _live(prefix: str) -> tuple[int, int, int]:
    """Households, current members and live 低保 entitlements under ``prefix``, counted directly."""
    households = Household.objects.filter(region__code__startswith=prefix)
    members = Membership.objects.as_of(DAY).filter(household__in=households).count()
    dibao = Entitlement.objects.filter(household__in=households, program="dibao", status="active").count()
    return households.count(), members, dibao


def test_a_user_sums_their_jurisdiction_only(caseload, people, tree):
    statistics_refresh(day=DAY)
    mine = figures_for(people.owner)
    assert (mine["households"], mine["persons"], mine["entitlements.dibao"]) == _live(tree.town_a.code[:9])
    assert mine["households"] >= 2 and mine["persons"] >= 3 and mine["entitlements.dibao"] >= 1
    assert mine["entitlements"] == Entitlement.objects.filter(
        household__region__code__startswith=tree.town_a.code[:9], status__in=["active", "grace"]).count()
    assert (mine["cases.open"], mine["cases.submitted"]) == (1, 1), "a closed case is not open"
    assert (mine["payroll.lines"], mine["payroll.fen"]) == (1, 123_450)
    assert mine["warnings.open"] == 0 and mine.day == DAY and mine.as_of is not None

    theirs = figures_for(people.colleague)
    assert (theirs["households"], theirs["persons"], theirs["entitlements.dibao"]) == _live(tree.town_b.code[:9])
    assert (theirs["cases.open"], theirs["warnings.open"]) == (1, 1)
    county = figures_for(people.county)
    assert county["households"] == mine["households"] + theirs["households"]
    assert county["persons"] == mine["persons"] + theirs["persons"]
    assert county["cases.open"] == 2
    assert figures_for(people.county, region=tree.town_b.code[:9])["households"] == theirs["households"]
    assert figures_for(people.county, keys=["cases.open"]).values == {"cases.open": 2}
    assert figures_for(people.outsider).values == {}


def test_nothing_before_the_first_refresh_finishes(caseload, people, monkeypatch):
    assert figures_for(people.county).as_of is None and figures_for(people.county)["households"] == 0
    monkeypatch.setattr(services, "_step", lambda refresh, chunk: False)  # stops before storing anything
    refresh = Refresh.objects.create(day=DAY, total_count=3)
    assert figures_for(people.county).as_of is None, f"unfinished refresh {refresh.pk} is not shown"


def test_an_interrupted_refresh_resumes_after_its_last_chunk(caseload, people, monkeypatch):
    statistics_refresh(day=DAY)
    complete = sorted(Figure.objects.values_list("region_code", "key", "value"))
    Refresh.objects.all().delete()

    calls = []
    real_step = services._step

    def crash_after_two(refresh, chunk):
        if len(calls) == 2:
            raise RuntimeError("killed")
        calls.append(refresh.cursor)
        return real_step(refresh, chunk)

    monkeypatch.setattr(services, "_step", crash_after_two)
    with pytest.raises(RuntimeError):
        statistics_refresh(day=DAY, chunk=2)
    interrupted = Refresh.objects.get()
    assert interrupted.finished_at is None and interrupted.done_count == 4 and interrupted.cursor
    monkeypatch.setattr(services, "_step", real_step)

    seen = []
    done = statistics_refresh(day=DAY, chunk=2, progress=lambda r: seen.append(r.done_count))
    assert done.pk == interrupted.pk and done.finished_at is not None
    assert seen[0] > 4 and seen[-1] == done.total_count, "resumed after the stored chunks"
    assert sorted(Figure.objects.values_list("region_code", "key", "value")) == complete


def test_the_last_refresh_of_a_day_replaces_the_earlier_one(caseload, people):
    before = statistics_refresh(day=DAY) and figures_for(people.owner)["households"]
    f.household(caseload[0][0].region)
    second = statistics_refresh(day=DAY)
    assert list(Refresh.objects.values_list("pk", flat=True)) == [second.pk]
    assert figures_for(people.owner)["households"] == before + 1
    statistics_refresh(day=DAY + dt.timedelta(days=1))
    assert Refresh.objects.count() == 2, "one refresh is kept per day"


def test_command_shows_progress(caseload, capsys):
    call_command("statistics", "refresh", "--day", DAY.isoformat(), "--chunk", "2")
    out = capsys.readouterr().out
    assert "2/" in out and "完成" in out
    assert Refresh.objects.get().finished_at is not None


def test_home_reads_the_aggregates_and_says_as_of_when(client, caseload, people):
    client.force_login(people.owner)
    assert "统计数字尚未生成" in client.get(reverse("web:home")).content.decode()
    PayrollLine.objects.update(month=timezone.localdate().replace(day=1))  # this month's payroll
    statistics_refresh(day=timezone.localdate())
    body = client.get(reverse("web:home")).content.decode()
    mine = figures_for(people.owner)
    assert f'<span class="stat-num">{mine["households"]}</span>' in body
    assert f'<span class="stat-num">{mine["persons"]}</span>' in body
    assert "统计数字截至" in body and "1,234.50" in body


def test_home_sums_warnings_only_where_the_user_sees_full_records(client, caseload, tree):
    """The home page reads its figures in one query when the user sees full records wherever they see households,
    and separately otherwise: a user who is civil affairs in town A but only a department in town B counts B's
    households, not B's warning (which holds personal data)."""
    statistics_refresh(day=timezone.localdate())
    both = f.user("both", (tree.town_a, "civil_affairs"), (tree.town_b, "department"))
    full = f.user("full", (tree.town_a, "civil_affairs"), (tree.town_b, "civil_affairs"))
    people_a = f.user("only_a", (tree.town_a, "civil_affairs"))
    for user, warnings in ((both, 0), (full, 1)):
        client.force_login(user)
        counts = client.get(reverse("web:home")).context["counts"]
        assert counts["households"] == figures_for(full)["households"] > figures_for(people_a)["households"], counts
        assert counts["open_warnings"] == warnings, (user, counts)
