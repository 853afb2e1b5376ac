"""The reserve-fund screen (/temporary/reserve-fund/): scoped to the caseworker's township; opening a fund takes its
low-balance line from the policy profile."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from doudi.temporary.models import ReserveFund
from doudi.temporary.services import reserve_min_fen

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_reserve_fund_opens_with_the_profiles_low_balance_line(client, tree, people, settings):
    assert reserve_min_fen(tree.town_a) == 0  # national profile: no value, no floor (no national amount)
    tree.city.profile = "shiqiao"
    tree.city.save()
    from doudi.policy.services import policy_value_confirm, policy_value_create
    from tests import factories as f

    row = policy_value_create(actor=people.county, profile="shiqiao", key="temporary.township_reserve_min",
                              value=80000, valid_from=dt.date(2024, 1, 1), source="测试：镇储备金下限8万元")
    policy_value_confirm(actor=f.user("root", is_staff=True, is_superuser=True), row=row)
    client.force_login(people.owner)
    page = client.get("/temporary/reserve-fund/").content.decode()
    assert "建立备用金" in page and "乙镇" not in page
    client.post("/temporary/reserve-fund/open/", {"region": tree.town_a.code})
    fund = ReserveFund.objects.get(region=tree.town_a)
    assert fund.low_balance_fen == 8_000_000
    assert client.post("/temporary/reserve-fund/open/", {"region": tree.town_b.code}).status_code == 404


def test_reserve_fund_page(people, fund):
    html = _client(people.owner).get("/temporary/reserve-fund/").content.decode()
    assert "52,000.00" in html and "甲镇" in html
    assert "甲镇" not in _client(people.colleague).get("/temporary/reserve-fund/").content.decode()
