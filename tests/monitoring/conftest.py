"""Monitoring fixtures: households in the shared tree with income and entitlements the engine can judge."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.benefits.models import Entitlement
from doudi.registry.models import Income, Membership
from tests import factories as f

AS_OF = dt.date(2026, 3, 1)


def with_income(household, monthly_yuan: int, start=dt.date(2024, 1, 1)):
    """Give the head of ``household`` a wage of ``monthly_yuan`` a month from ``start``."""
    head = Membership.objects.filter(household=household).order_by("id").first().person
    Income.objects.create(person=head, kind="wage", monthly_fen=monthly_yuan * 100, valid_from=start)
    return household


def dibao(household, *, start=dt.date(2025, 1, 1), status="active"):
    return Entitlement.objects.create(household=household, program="dibao", monthly_fen=30000, covered_members=1,
                                      start_month=start, status=status)


@pytest.fixture
def homes(tree):
    """Three rural households in 甲村 (national profile: illustrative 低保 standard 700 yuan/person/month)."""
    return {
        "poor": with_income(f.household(tree.village_a, members=2), 300),  # 150/person: 低保
        "margin": with_income(f.household(tree.village_a, members=1), 900),  # 900 < 1.5 × 700: 低保边缘
        "well_off": with_income(f.household(tree.village_a, members=1), 5000),
        "other_town": with_income(f.household(tree.village_b, members=1), 200),
    }
