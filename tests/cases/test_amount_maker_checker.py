"""Maker-checker for money (issue 9.2, amounts): an increase above the engine's amount for the entitlement's basis,
or an adjustment larger than the profile's threshold, needs a second approver with a reason; the refusals are
Chinese messages; the approver cannot confirm their own decision."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.benefits.models import Entitlement
from doudi.cases import services
from doudi.cases.choices import State
from doudi.cases.errors import CaseError
from doudi.cases.services.amounts import amount_confirm, engine_amount
from doudi.policy.services import policy_value_create
from tests import factories as f
from tests.cases.conftest import investigate

T = services.case_transition
DAY = dt.date(2025, 6, 10)


def _dibao(hh):
    ent = Entitlement.objects.create(household=hh, program="dibao", monthly_fen=0, covered_members=3,
                                     start_month=dt.date(2024, 1, 1), basis_area="rural", basis_members=3,
                                     basis_income_fen=60000)
    ent.monthly_fen = ent.basis_amount_fen = engine_amount(ent, day=DAY)
    ent.save()
    return ent


def _to_review(actor, ent, kind, amount):
    case = services.adjustment_open(actor=actor, entitlement=ent, kind=kind, proposed_monthly_fen=amount,
                                    reason="复核调整")
    case = T(actor=actor, case=case, to_state=State.INVESTIGATING)
    investigate(actor, case)
    return T(actor=actor, case=case, to_state=State.TOWNSHIP_REVIEWED)


def test_increase_above_the_engine_needs_a_second_approver(tree, people, hh, engine):
    ent = _dibao(hh)
    case = _to_review(people.owner, ent, "increase", ent.monthly_fen + 20_000)
    with pytest.raises(CaseError) as exc:
        T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=DAY)
    assert exc.value.code == "second_approval_required" and "高于测算金额" in exc.value.message
    with pytest.raises(CaseError):  # a reason is required
        amount_confirm(actor=people.county, case=case, reason=" ")
    amount_confirm(actor=people.county, case=case, reason="重病住院，经县级评议临时提高")
    with pytest.raises(CaseError) as exc:  # the confirmer cannot also approve
        T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=DAY)
    assert exc.value.code == "same_person"
    other = f.user("county2", (tree.county, "civil_affairs"))
    T(actor=other, case=case, to_state=State.DECIDED_APPROVED, today=DAY)
    new = Entitlement.objects.get(household=hh, status="active")
    assert new.monthly_fen == ent.monthly_fen + 20_000 and new.basis_amount_fen == ent.basis_amount_fen


def test_decrease_within_the_engine_needs_no_second_approver(people, hh, engine):
    ent = _dibao(hh)
    case = _to_review(people.owner, ent, "decrease", ent.monthly_fen - 10_000)
    T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=DAY)


def test_adjustment_above_the_profile_threshold_needs_a_second_approver(people, hh, engine):
    policy_value_create(actor=None, profile="national", key="adjustment.second_approval_above", value=50,
                        valid_from=dt.date(2025, 1, 1), illustrative=True, note="测试：调整超过50元须双人审核")
    ent = _dibao(hh)
    case = _to_review(people.owner, ent, "decrease", ent.monthly_fen - 10_000)
    with pytest.raises(CaseError) as exc:
        T(actor=people.county, case=case, to_state=State.DECIDED_APPROVED, today=DAY)
    assert exc.value.code == "second_approval_required" and "调整幅度100.00元超过50.00元" in exc.value.message


def test_second_approver_confirms_on_the_case_page(client, people, hh, engine):
    ent = _dibao(hh)
    case = _to_review(people.owner, ent, "increase", ent.monthly_fen + 20_000)
    client.force_login(people.county)
    page = client.get(f"/cases/{case.pk}/")
    assert "确认调整金额" in page.content.decode()
    r = client.post(f"/cases/{case.pk}/amount-confirm/", {"reason": "县级评议同意"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.amount_confirmed_by == people.county and case.amount_confirmed_reason == "县级评议同意"


def test_the_proposer_cannot_confirm_their_own_amount(tree, people, hh, engine):
    ent = _dibao(hh)
    case = _to_review(people.county, ent, "increase", ent.monthly_fen + 20_000)
    with pytest.raises(CaseError) as exc:
        amount_confirm(actor=people.county, case=case, reason="自己提出，自己确认")
    assert exc.value.code == "same_person"
    case.refresh_from_db()
    assert case.amount_confirmed_by_id is None
    other = f.user("county2", (tree.county, "civil_affairs"))
    amount_confirm(actor=other, case=case, reason="县级评议同意")
    T(actor=f.user("county3", (tree.county, "civil_affairs")), case=case, to_state=State.DECIDED_APPROVED,
      today=DAY)
    assert Entitlement.objects.get(household=hh, status="active").monthly_fen == ent.monthly_fen + 20_000


def test_a_confirmation_reason_longer_than_the_case_keeps_is_refused_not_cut(client, people, hh, engine):
    ent = _dibao(hh)
    case = _to_review(people.owner, ent, "increase", ent.monthly_fen + 20_000)
    client.force_login(people.county)
    r = client.post(f"/cases/{case.pk}/amount-confirm/", {"reason": "同" * 301}, follow=True)
    assert r.status_code == 200 and "确认理由不能超过 300 个字" in r.content.decode()
    case.refresh_from_db()
    assert case.amount_confirmed_by_id is None
    r = client.post(f"/cases/{case.pk}/amount-confirm/", {}, follow=True)
    assert "确认金额须写明理由" in r.content.decode()
    case.refresh_from_db()
    assert case.amount_confirmed_by_id is None
