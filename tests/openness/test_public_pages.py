"""Public pages (no login) show the standards, hotline numbers, 公示, aggregates, the standing list and inspection
results, and never personal data beyond name, household size and amount: scanned for ID, phone and card patterns."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from doudi.hotline import services as hotline
from doudi.hotline.models import HotlineLine
from doudi.hotline.services import TicketInput
from doudi.statistics.services import statistics_refresh
from doudi.supervision import services as supervision
from doudi.supervision.services.rounds import RoundInput
from tests import factories as f
from tests.reviews.conftest import entitlement, pay

ID = re.compile(r"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
PHONE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
CARD = re.compile(r"(?<![0-9])[0-9]{12,19}(?![0-9])")


@pytest.fixture
def published(tree, people):
    hhs = [f.household(tree.village_a, members=3) for _ in range(3)]
    ents = [entitlement(hh, monthly_fen=123_400) for hh in hhs]
    for hh in hhs:
        hh.bank_account = "6222021234567890123"
        hh.save()
    pay(ents[0], [timezone.localdate().replace(day=1)])
    HotlineLine.objects.create(region=tree.county, label="海拉尔区阳光低保热线", number="0470-8234110")
    hotline.ticket_create(actor=people.county, data=TicketInput(
        kind="report", channel="phone", summary="举报人刘某某13912345678反映问题", region=tree.county,
        caller_name="刘某某", caller_phone="13912345678"))
    f.user("insp", (tree.town_b, "township_caseworker"))
    rnd = supervision.round_draw(actor=people.county, data=RoundInput(region=tree.county, title="第一批", sample_size=2,
                                                                      seed=7))
    for item in rnd.items.all():
        supervision.item_record(actor=people.county, item=item, method="visit", inspected_on=timezone.localdate(),
                                finding="documents", notes=f"{item.household.address}材料缺失")
    supervision.round_publish(actor=people.county, round=rnd, summary="抽查2户，材料不全2户")
    statistics_refresh()  # the public aggregates are the maintained figures
    return hhs


def _scan(html: str, hhs) -> None:
    # What a reader sees: the text without tags (links carry public division codes), without the published
    # 64-hex-digit digest of the draw and the public division codes themselves.
    html = re.sub(r"<[^>]+>", " ", html)
    html = re.sub(r"[0-9a-f]{64}", " ", html)
    html = re.sub(r"(?<![0-9])1[0-9]{11}(?![0-9])", lambda m: " " if m.group(0).startswith("1507") or
                  m.group(0).startswith("1500") else m.group(0), html)
    assert not ID.search(html), "an ID number pattern on a public page"
    assert not PHONE.search(html), "a mobile phone number on a public page"
    assert not CARD.search(html), "a bank-card-like number on a public page"
    for hh in hhs:
        assert hh.address not in html
        for m in hh.memberships.select_related("person"):
            assert m.person.id_number not in html
    assert "刘某某" not in html


@pytest.mark.parametrize("where", ["county", "town_a", "village_a"])
def test_public_pages_show_no_personal_data(client, tree, published, where):
    region = getattr(tree, where)
    r = client.get(f"/open/{region.code}/")
    html = r.content.decode()
    assert r.status_code == 200
    _scan(html, published)
    assert "0470-8234110" in html and "第一批" in html and "档案材料不全" in html


def test_the_village_page_has_the_standing_list_with_name_size_and_amount(client, tree, published):
    html = client.get(f"/open/{tree.village_a.code}/").content.decode()
    head = published[0].memberships.get(relationship="head").person
    assert head.name in html and "1,234.00" in html
    # the township page aggregates; it does not list names
    town = client.get(f"/open/{tree.town_a.code}/").content.decode()
    assert "在保对象名单（长期公布）" not in town and "3,702.00" in town  # 3 × 1 234 yuan in 甲村


def test_index_and_public_form_need_no_login(client, tree):
    assert client.get("/open/").status_code == 200
    r = client.post("/hotline/public/", {"kind": "consultation", "region": tree.town_a.code, "summary": "怎么申请低保"})
    assert r.status_code == 200 and "已收到您的留言" in r.content.decode()
    bad = client.post("/hotline/public/", {"kind": "nope", "region": tree.town_a.code, "summary": ""})
    assert bad.status_code == 200 and "error" in bad.content.decode()


def test_unknown_or_province_level_areas_are_404(client, tree):
    assert client.get("/open/999999999999/").status_code == 404
    assert client.get(f"/open/{tree.province.code}/").status_code == 404


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_public_page_costs_the_same_however_many_rounds_are_published(client, tree, people, published):
    """Anyone may hammer these pages: the inspection results are counted in one grouped query, not per round."""
    from doudi.supervision.selectors import public_results

    url = f"/open/{tree.county.code}/"
    before = _queries(client, url)
    rnd = supervision.round_draw(actor=people.county, data=RoundInput(region=tree.county, title="第二批",
                                                                      sample_size=1, seed=11))
    for item in rnd.items.all():
        supervision.item_record(actor=people.county, item=item, method="visit", inspected_on=timezone.localdate(),
                                finding="none", notes="")
    supervision.round_publish(actor=people.county, round=rnd, summary="抽查1户，未发现问题")
    assert _queries(client, url) == before
    shown = {r.title: r for r in public_results(prefix=tree.county.prefix)}
    first, second = shown["第一批"], shown["第二批"]
    assert (first.title, first.inspected, first.clear, first.findings) == ("第一批", 2, 0, [("档案材料不全", 2)])
    assert (second.title, second.inspected, second.clear, second.findings) == ("第二批", 1, 1, [])


@pytest.mark.parametrize("where", ["county", "town_a", "village_a"])
def test_a_public_page_reads_the_aggregates_not_the_payroll(client, tree, people, published, where):
    """Anyone may hammer these pages: recipients and fund use come from the maintained figures (with their time),
    never from a sum over payroll lines or entitlements (the village's standing list reads its own few rows)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        html = client.get(f"/open/{getattr(tree, where).code}/").content.decode()
    sql = " ".join(q["sql"] for q in ctx.captured_queries).lower()
    assert "payments_payrollline" not in sql
    assert not any("benefits_entitlement" in q["sql"].lower() and "sum(" in q["sql"].lower()
                   for q in ctx.captured_queries)
    assert "统计数据截至" in html


def test_public_aggregates_equal_the_hand_counted_records_and_wait_for_the_refresh(client, tree, published):
    from doudi.openness.selectors import fund_use, recipients_by_village

    month = timezone.localdate().replace(day=1)
    [row] = recipients_by_village(tree.town_a)
    assert (row.village, row.households, row.persons, row.monthly_fen) == ("甲村", 3, 9, 3 * 123_400)
    [paid] = fund_use(tree.county)
    assert (paid.month, paid.lines, paid.paid_fen) == (month, 1, 123_400)
    # a new payment shows after the next refresh, not before (the page says when it was counted)
    hh = f.household(tree.village_b, members=2)
    pay(entitlement(hh, monthly_fen=50_000), [month])
    assert fund_use(tree.county)[0].paid_fen == 123_400
    statistics_refresh()
    assert fund_use(tree.county)[0].paid_fen == 173_400 and fund_use(tree.town_b)[0].paid_fen == 50_000


@pytest.mark.parametrize("where", ["county", "village_a"])
def test_a_public_page_shows_one_refresh_with_its_own_time(client, tree, published, where):
    """The recipients, the fund use and the "统计数据截至" line come from the same refresh, read once: a refresh
    finishing while the page is built cannot put one refresh's figures under another's time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/open/{getattr(tree, where).code}/").status_code == 200
    reads = [q["sql"] for q in ctx.captured_queries if 'FROM "statistics_refresh"' in q["sql"]]
    assert len(reads) == 1, reads
