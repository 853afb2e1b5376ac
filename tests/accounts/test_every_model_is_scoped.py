"""Every model holding data about people or cases is scoped; a new model cannot slip in unscoped.

Row-level owner / colleague / outsider tests live next to each app (tests/accounts/test_scoping.py for the registry,
the API scope tests of cases, verification, referrals, payments and reviews). This file checks the whole project at
once: each scoped model's ``restrict`` filters by the user's region prefixes and fails closed.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

# Models that are deliberately not scoped, and why. Adding a model to doudi means adding it to a scoped manager or
# to this list with a reason a reviewer accepts.
UNSCOPED = {
    "regions.Region": "the jurisdiction tree itself; public administrative divisions",
    "accounts.User": "no assistance data; managed by area (accounts.authority, tests/accounts/test_administration.py)",
    "accounts.RegionGrant": "managed by area (accounts.authority, tests/accounts/test_administration.py)",
    "policy.PolicyValue": "published policy parameters, not personal data",
    "cases.WorkingCalendarDay": "the public holiday calendar",
}


def _doudi_models():
    return [m for m in apps.get_models() if m.__module__.startswith("doudi.")]


def test_every_doudi_model_is_scoped_or_listed_with_a_reason():
    missing = [
        m._meta.label
        for m in _doudi_models()
        if not hasattr(m._default_manager, "restrict") and m._meta.label not in UNSCOPED
    ]
    assert missing == [], f"models without restrict(): {missing}"


SCOPED = [m for m in _doudi_models() if hasattr(m._default_manager, "restrict")]


@pytest.mark.parametrize("model", SCOPED, ids=lambda m: m._meta.label)
def test_restrict_filters_by_jurisdiction_and_fails_closed(model, tree, people):
    manager = model._default_manager
    for nobody in (people.outsider, AnonymousUser(), None):
        assert manager.restrict(nobody, "view").query.is_empty(), "no grant must mean no rows"
    assert manager.restrict(people.owner, "no_such_action").query.is_empty()
    sql = str(manager.restrict(people.owner, "view").query)
    assert tree.town_a.prefix in sql, "the owner's query is limited to their township's code prefix"
    assert tree.town_b.prefix not in sql
