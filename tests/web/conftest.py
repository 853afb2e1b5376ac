"""Households in two townships: the owner (甲镇) must see 甲 households only, the colleague (乙镇) 乙 only."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from doudi.registry.models import Income, Membership, Person
from tests import factories as f


@pytest.fixture
def homes(tree, people):
    a = f.household(tree.village_a, members=2)
    a2 = f.household(tree.village_a2, members=1)
    b = f.household(tree.village_b, members=1)
    # Distinct names so a search hits exactly one household.
    Person.objects.filter(memberships__household=a, memberships__relationship="head").update(name="张甲一")
    Person.objects.filter(memberships__household=b, memberships__relationship="head").update(name="李乙一")
    head_a = Membership.objects.get(household=a, relationship="head").person
    head_b = Membership.objects.get(household=b, relationship="head").person
    Income.objects.create(person=head_a, kind="wage", monthly_fen=123456, valid_from=dt.date(2020, 1, 1))
    return SimpleNamespace(a=a, a2=a2, b=b, head_a=head_a, head_b=head_b)


@pytest.fixture
def owner_client(client, people):
    client.force_login(people.owner)
    return client
