from __future__ import annotations

import datetime as dt

import pytest

from doudi.benefits.models import Entitlement
from tests import factories as f


def M(y: int, m: int) -> dt.date:
    return dt.date(y, m, 1)


def dibao(household, *, members=3, income_fen=60000, start=dt.date(2026, 1, 1), area="rural", **kw) -> Entitlement:
    household.bank_name = household.bank_name or "农村信用社"
    household.bank_account = household.bank_account or f"62210000{household.pk:010d}"
    household.account_holder = household.account_holder or "户主"
    household.save()
    kw.setdefault("monthly_fen", 0)
    return Entitlement.objects.create(household=household, program="dibao",
                                      covered_members=members, start_month=start, basis_area=area,
                                      basis_members=members, basis_income_fen=income_fen, **kw)


@pytest.fixture
def hh(tree):
    def make(village=None, members=3):
        return f.household(village or tree.village_a, members=members)
    return make


@pytest.fixture
def maker(people):
    return people.owner


@pytest.fixture
def checker(tree):
    return f.user("checker", (tree.town_a, "township_caseworker"))
