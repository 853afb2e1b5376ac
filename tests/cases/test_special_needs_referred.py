"""Ticked special-assistance needs on an application become referrals to the responsible department (issue 8
item 6), once each — not silent fields."""

from __future__ import annotations

from doudi.referrals.models import Referral
from doudi.referrals.services import referrals_for_application
from tests.cases.conftest import apply


def test_ticked_needs_become_referrals_once(people, hh, engine):
    app = apply(people.owner, hh, special_needs=["medical", "education", "medical", "unknown"])
    refs = {r.need_type: r for r in Referral.objects.filter(application_id=app.pk)}
    assert set(refs) == {"medical", "education"}
    assert refs["medical"].department == "medical_security" and refs["medical"].household == hh
    assert app.number in refs["medical"].need_detail
    assert referrals_for_application(actor=people.owner, application=app) == []  # idempotent
    assert Referral.objects.filter(application_id=app.pk).count() == 2
