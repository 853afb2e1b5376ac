"""A small world for the fuzzers: households, cases, referrals, review tasks, overpayments and a payroll in the
county, so generated IDs sometimes hit real rows and forms have something to act on."""

from __future__ import annotations

import pytest

from tests.payments.conftest import M, dibao
from tests.payments.test_bank_and_funds import approved
from tests.test_list_exports import world  # noqa: F401  (fixture)


@pytest.fixture
def fuzz_world(world, people, tree):  # noqa: F811
    from doudi.benefits.models import Entitlement
    from tests import factories as f

    live = Entitlement.objects.filter(household=world.mine, program="dibao", status__in=["active", "grace"])
    if live.exists():  # one live 低保 per household (database constraint): give it the bank account and a basis
        world.mine.bank_name, world.mine.bank_account, world.mine.account_holder = "农村信用社", "6221000000001", "户主"
        world.mine.save()
        live.update(basis_area="rural", basis_members=2, basis_income_fen=60000)
    else:
        dibao(world.mine, members=2, start=M(2026, 1))
    checker = f.user("checker", (tree.town_a, "township_caseworker"))
    world.payroll = approved(people.owner, checker, tree.town_a, M(2026, 1))
    world.head = world.mine.memberships.order_by("id").first().person
    return world
