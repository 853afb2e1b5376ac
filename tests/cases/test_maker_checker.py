"""Issue 9 item 2: investigators are accounts that sign for themselves, and who investigated or reviewed a case
cannot approve it. Each refusal is a Chinese message with a stable code and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.cases import services
from doudi.cases.choices import InvestigationKind, State
from doudi.cases.errors import CaseError
from doudi.cases.models import Decision, InvestigationSignature
from doudi.core.errors import PermissionDenied
from tests import factories as f
from tests.cases.conftest import apply

T = services.case_transition
TODAY = dt.date.today()
LATER = TODAY + dt.timedelta(days=8)


def _investigating(owner, hh):
    case = apply(owner, hh).cases.get()
    for state in (State.ACCEPTED, State.VERIFYING, State.INVESTIGATING):
        case = T(actor=owner, case=case, to_state=state, today=TODAY)
    services.verification_record(actor=owner, case=case, completed_on=TODAY, summary="核对无异常")
    return case


def _record(owner, case, *investigators):
    return services.investigation_record(actor=owner, case=case, kind=InvestigationKind.HOME_VISIT, visited_on=TODAY,
                                         family_signed=True, investigators=[u.pk for u in investigators])


def test_review_waits_for_every_investigator_to_sign_for_themselves(people, hh, engine):
    case = _investigating(people.owner, hh)
    partner = f.partner(people.owner)
    inv = _record(people.owner, case, people.owner, partner)
    signed = {s.investigator_id: s.signed_at for s in InvestigationSignature.objects.filter(investigation=inv)}
    assert signed[people.owner.pk] is not None and signed[partner.pk] is None  # the recorder signs at once
    with pytest.raises(CaseError) as exc:
        T(actor=people.owner, case=case, to_state=State.TOWNSHIP_REVIEWED, today=TODAY)
    assert exc.value.code == "investigation_missing" and "签字" in exc.value.message
    # Nobody signs for somebody else: not the recorder again, not a colleague who is not on the record.
    with pytest.raises(CaseError) as exc:
        services.investigation_sign(actor=people.owner, investigation=inv)
    assert exc.value.code == "already_signed"
    with pytest.raises(CaseError) as exc:
        services.investigation_sign(actor=f.user("bystander", (case.region.parent, "township_caseworker")),
                                    investigation=inv)
    assert exc.value.code == "not_an_investigator" and "不能代替他人签字" in exc.value.message
    services.investigation_sign(actor=partner, investigation=inv)
    assert T(actor=people.owner, case=case, to_state=State.TOWNSHIP_REVIEWED, today=TODAY).state == "township_reviewed"


def test_investigators_must_be_two_distinct_users_who_may_act_on_the_case(people, hh, engine):
    case = _investigating(people.owner, hh)
    with pytest.raises(CaseError) as exc:
        _record(people.owner, case, people.owner, people.owner)
    assert exc.value.code == "two_investigators_required" and "不同" in exc.value.message
    for stranger in (people.colleague, people.auditor, people.outsider):  # other township, read-only, no grant
        with pytest.raises(CaseError) as exc:
            _record(people.owner, case, people.owner, stranger)
        assert exc.value.code == "investigator_out_of_scope"
    assert not case.investigations.exists()


def test_who_investigated_or_reviewed_cannot_approve(tree, people, hh, engine):
    from doudi.cases.models import LocalitySetting

    # The township confirms (delegated): the caseworker who reviewed, and the partner who investigated, are both
    # refused; a third township officer approves.
    LocalitySetting.objects.create(region=tree.county, township_confirms=True)
    case = _investigating(people.owner, hh)
    partner = f.partner(people.owner)
    services.investigation_sign(actor=partner, investigation=_record(people.owner, case, people.owner, partner))
    case = T(actor=people.owner, case=case, to_state=State.TOWNSHIP_REVIEWED, today=TODAY)
    case = T(actor=people.owner, case=case, to_state=State.PUBLIC_NOTICE, today=TODAY)
    for involved in (people.owner, partner):
        assert State.DECIDED_APPROVED not in services.next_steps(involved, case=case)  # no button either
        with pytest.raises(PermissionDenied) as exc:
            T(actor=involved, case=case, to_state=State.DECIDED_APPROVED, today=LATER)
        assert exc.value.code == "maker_checker" and "不能审批" in exc.value.message
    assert not Decision.objects.exists()
    third = f.user("third", (tree.town_a, "township_caseworker"))
    assert T(actor=third, case=case, to_state=State.DECIDED_APPROVED, today=LATER).state == "decided_approved"
