"""Dynamic-management fixtures: entitlements in township A (owner's) and township B (colleague's), paid payroll
lines, and a helper to record evidence."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from doudi.benefits.models import Entitlement
from doudi.payments.models import Payroll, PayrollLine
from doudi.registry.models import Employment, WorkAbility
from tests import factories as f

_ref = itertools.count(1)


def entitlement(household, program="dibao", *, monthly_fen=60_000, start=dt.date(2025, 1, 1), person=None,
                covered=None, **kw) -> Entitlement:
    return Entitlement.objects.create(household=household, program=program, monthly_fen=monthly_fen,
                                      start_month=start, person=person,
                                      covered_members=covered or household.memberships.count(), **kw)


def head(household):
    return household.memberships.order_by("id").first().person


def members(household):
    return [m.person for m in household.memberships.order_by("id")]


def pay(ent, months, *, amount=None, status="paid", payroll_status="reconciled"):
    """Payroll lines actually paid for ``ent`` for each month in ``months``."""
    lines = []
    for month in months:
        payroll, _c = Payroll.objects.get_or_create(region=ent.household.region.parent, program=ent.program,
                                                    month=month, batch=1, defaults={"status": payroll_status})
        lines.append(PayrollLine.objects.create(
            payroll=payroll, entitlement=ent, household=ent.household, person=ent.person,
            region_code=ent.household.region_id, program=ent.program, month=month, kind="regular",
            amount_fen=ent.monthly_fen if amount is None else amount, reference=f"T{next(_ref):010d}",
            status=status))
    return lines


def not_able(person, since=dt.date(2020, 1, 1)):
    WorkAbility.objects.create(person=person, level="none", valid_from=since)


def flexible(person, since=dt.date(2020, 1, 1)):
    Employment.objects.create(person=person, status="flexible", valid_from=since)


@pytest.fixture
def one(tree):
    """A one-person household (aged 66 in 2026: not of working age) in township A."""
    return f.household(tree.village_a, members=1)


@pytest.fixture
def family(tree):
    """Three members in township A."""
    return f.household(tree.village_a, members=3)


@pytest.fixture
def far(tree):
    return f.household(tree.village_b, members=1)
