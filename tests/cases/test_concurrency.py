"""Two caseworkers confirm the same case at the same moment: the row lock lets exactly one decision through."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connections

from doudi.benefits.models import Entitlement
from doudi.cases import services
from doudi.cases.models import Decision, Transition
from doudi.core.errors import DomainError
from tests import factories as f
from tests.cases.conftest import apply, to_notice

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_simultaneous_decisions_give_exactly_one(tree, people, hh, engine):
    case = to_notice(people.owner, apply(people.owner, hh).cases.get(), today=dt.date(2025, 3, 3))
    second = f.user("county2", (tree.county, "civil_affairs"))
    barrier = threading.Barrier(2)
    results: list[str] = []

    def decide(actor):
        try:
            barrier.wait()
            services.case_transition(actor=actor, case=case.pk, to_state="decided_approved",
                                     today=dt.date(2025, 3, 20))
            results.append("ok")
        except DomainError as exc:
            results.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=decide, args=(u,)) for u in (people.county, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["illegal_transition", "ok"]
    assert Decision.objects.filter(case=case).count() == 1
    assert Entitlement.objects.filter(household=hh).count() == 1
    assert Transition.objects.filter(case=case, to_state="decided_approved").count() == 1
