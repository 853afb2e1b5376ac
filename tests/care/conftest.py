from __future__ import annotations

import datetime as dt

import pytest

from doudi.benefits.models import Entitlement
from tests import factories as f


@pytest.fixture
def tekun_person(tree):
    """A 特困 person in village A with a live 特困 entitlement and a bank account on the household."""
    household = f.household(tree.village_a)
    household.bank_name, household.bank_account, household.account_holder = "农商银行", "6228480000000001", "测试0"
    household.save()
    person = household.memberships.get().person
    Entitlement.objects.create(household=household, person=person, program="tekun", monthly_fen=120_000,
                               start_month=dt.date(2025, 1, 1))
    return person


@pytest.fixture
def checker(tree):
    return f.user("checker", (tree.town_a, "township_caseworker"), display_name="甲镇审核员")
