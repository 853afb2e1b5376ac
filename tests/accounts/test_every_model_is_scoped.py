"""Every model holding data about people or cases is scoped, and its scoping is checked on rows: a new model cannot
slip in unscoped or scoped wrongly.

For each scoped model, one row is built in township A's village and one in township B's (``tests/rows.py`` follows
the model's required foreign keys, so a new model is covered without writing anything). Then the township A
caseworker sees their row and not the other, the township B caseworker the reverse, the outsider, an anonymous
visitor and nobody see none, and the city auditor reads both and may change neither.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser

from tests.rows import row_in

# Models that are deliberately not scoped, and why. Adding a model to doudi means adding it to a scoped manager or
# to this list with a reason a reviewer accepts.
UNSCOPED = {
    "regions.Region": "the jurisdiction tree itself; public administrative divisions",
    "accounts.User": "no assistance data; managed by area (accounts.authority, tests/accounts/test_administration.py)",
    "accounts.RegionGrant": "managed by area (accounts.authority, tests/accounts/test_administration.py)",
    "policy.PolicyValue": "published policy parameters, not personal data",
    "core.WorkingCalendarDay": "the public holiday calendar",
    "statistics.Refresh": "bookkeeping of an aggregate refresh (a day, a cursor, counts of regions); no data",
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
def test_each_scoped_models_rows_follow_the_jurisdiction(model, tree, people):
    mine, theirs = row_in(model, tree.village_a), row_in(model, tree.village_b)
    manager = model._default_manager

    def sees(user, action="view"):
        return set(manager.restrict(user, action).filter(pk__in=[mine.pk, theirs.pk]))

    assert sees(people.owner) == {mine}, "the township A caseworker sees township A's row only"
    assert sees(people.colleague) == {theirs}, "the township B caseworker sees township B's row only"
    assert sees(people.county) == {mine, theirs}, "the county sees both of its townships"
    assert sees(people.owner, "change") == {mine}
    # The auditor reads the whole city, full records included, and changes nothing (ROLE_ACTIONS).
    assert sees(people.auditor) == sees(people.auditor, "view_full") == {mine, theirs}
    assert sees(people.auditor, "change") == set()
    for nobody in (people.outsider, AnonymousUser(), None):
        for action in ("view", "view_full", "change", "decide", "export"):
            assert not manager.restrict(nobody, action).exists(), "no grant must mean no rows"
    assert not manager.restrict(people.owner, "no_such_action").exists(), "an unknown action fails closed"
