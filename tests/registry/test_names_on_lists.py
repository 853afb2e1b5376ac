"""Every list of households shows the head's name (户主姓名), not an 18-digit household number alone, and gets the
names of a whole page in a bounded number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from doudi.monitoring.models import Alert
from doudi.referrals.models import Referral
from doudi.reviews.models import CreditRecord, Overpayment, ReviewTask
from tests.rows import row_in

LISTS = [
    (ReviewTask, "/reviews/"),
    (Overpayment, "/reviews/overpayments/"),
    (CreditRecord, "/reviews/credit/"),
    (Referral, "/referrals/"),
    (Alert, "/monitoring/alerts/"),
]


def _named(row, name):
    head = row.household.memberships.get(relationship="head").person
    head.name = name
    head.save(update_fields=["name"])
    return row


@pytest.mark.parametrize(("model", "url"), LISTS, ids=[m.__name__ for m, _ in LISTS])
def test_list_shows_head_names_in_bounded_queries(client, tree, people, model, url):
    client.force_login(people.county)
    _named(row_in(model, tree.village_a), "甲户主")
    first = client.get(url)
    assert first.status_code == 200, url
    page = first.content.decode()
    assert "甲户主" in page
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for i in range(4):
        _named(row_in(model, tree.village_a), f"乙户主{i}")
    with CaptureQueriesContext(connection) as five:
        page = client.get(url).content.decode()
    assert all(f"乙户主{i}" in page for i in range(4))
    assert len(five) <= len(one) + 2, [q["sql"] for q in five.captured_queries][-8:]
