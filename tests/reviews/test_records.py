"""Job offers (S1 Art 34) and credit records (失信)."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.audit.models import AuditEvent
from doudi.cases.models import Case
from doudi.core.errors import NotFoundOrForbidden
from doudi.reviews.services import credit_record_add, job_offer_record
from tests.reviews.conftest import entitlement, members


def _offer(actor, hh, person, day, result="refused", good=False, reason="嫌工资低"):
    return job_offer_record(actor=actor, household=hh, person=person, offered_on=day, department="人社局",
                            result=result, refusal_reason=reason if result == "refused" else "", good_reason=good)


def test_three_refusals_flag_the_member_and_open_a_reduction_of_their_share(people, family):
    ent = entitlement(family, monthly_fen=90_000, covered=3)
    son = members(family)[2]
    a = _offer(people.owner, family, son, dt.date(2026, 1, 5))
    b = _offer(people.owner, family, son, dt.date(2026, 2, 5))
    assert not a.flagged and not b.flagged and Case.objects.count() == 0
    c = _offer(people.owner, family, son, dt.date(2026, 3, 5))
    assert c.flagged
    case = Case.objects.get(pk=c.case_id)
    # That member's share only: 900 元 for 3 → 600 元.
    assert (case.kind, case.workflow, case.entitlement_id, case.proposed_monthly_fen) == (
        "decrease", "adjustment", ent.pk, 60_000)
    d = _offer(people.owner, family, son, dt.date(2026, 4, 5))
    assert not d.flagged and Case.objects.count() == 1  # flagged once per streak


def test_good_reason_or_acceptance_breaks_the_streak(people, family):
    entitlement(family, monthly_fen=90_000, covered=3)
    son = members(family)[2]
    _offer(people.owner, family, son, dt.date(2026, 1, 5))
    _offer(people.owner, family, son, dt.date(2026, 2, 5), good=True, reason="住院治疗")
    _offer(people.owner, family, son, dt.date(2026, 3, 5))
    _offer(people.owner, family, son, dt.date(2026, 4, 5), result="accepted")
    last = _offer(people.owner, family, son, dt.date(2026, 5, 5))
    assert not last.flagged and Case.objects.count() == 0


def test_credit_record_is_audited_and_scoped(people, family):
    row = credit_record_add(actor=people.owner, household=family, person=members(family)[0],
                            reason="concealment", detail="隐瞒经营收入", decided_on=dt.date(2026, 3, 1),
                            source="verification", period_end=dt.date(2028, 2, 28))
    assert AuditEvent.objects.filter(object_type="reviews.creditrecord", object_id=str(row.pk)).exists()
    with pytest.raises(NotFoundOrForbidden):
        credit_record_add(actor=people.colleague, household=family, reason="concealment", detail="x",
                          decided_on=dt.date(2026, 3, 1), source="review")
