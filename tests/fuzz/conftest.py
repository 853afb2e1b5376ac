"""A small world for the fuzzers: households, cases, referrals, review tasks, overpayments and a payroll in the
county, so generated IDs sometimes hit real rows and forms have something to act on."""

from __future__ import annotations

import pytest

from tests.payments.conftest import M, dibao
from tests.payments.test_bank_and_funds import approved
from tests.test_list_exports import world  # noqa: F401  (fixture)


@pytest.fixture
def fuzz_world(world, people, tree):  # noqa: F811
    from tests import factories as f

    dibao(world.mine, members=2, start=M(2026, 1))
    checker = f.user("checker", (tree.town_a, "township_caseworker"))
    world.payroll = approved(people.owner, checker, tree.town_a, M(2026, 1))
    world.head = world.mine.memberships.order_by("id").first().person
    return world
