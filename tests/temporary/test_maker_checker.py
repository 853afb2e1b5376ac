"""Issue 9 item 2 on the reserve fund: an advance is paid by one person and confirmed by another within the
profile's days (unconfirmed: listed, and overdue after the date); a top-up is credited only when a second person
confirms it, and absurd amounts are refused at entry."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from doudi.cases import services as case_services
from doudi.cases.choices import State
from doudi.cases.workflow import TemporaryDetails
from doudi.core.errors import NotFoundOrForbidden, PermissionDenied
from doudi.temporary import selectors, services
from doudi.temporary.errors import FundError
from doudi.temporary.models import FundMovement, FundTopUp, ReserveFund
from doudi.temporary.services.checks import advance_confirm_days
from tests import factories as f
from tests.cases.conftest import apply

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _advance(owner, hh):
    case = apply(owner, hh, programs=["temporary"],
                 temporary=TemporaryDetails(type="emergency", cause="fire", requested_fen=250_000)).cases.get()
    case = case_services.case_transition(actor=owner, case=case, to_state=State.ADVANCE_PAID, reason="火灾")
    return case.payments.get()


def test_advance_is_confirmed_by_another_within_the_profiles_days(tree, people, fund):
    hh = f.household(tree.village_a, members=2)
    payment = _advance(people.owner, hh)
    days = advance_confirm_days(tree.village_a, day=TODAY)
    assert days is not None and payment.confirm_due == TODAY + dt.timedelta(days=days)  # read from the profile
    listed = selectors.advances_unconfirmed(actor=people.owner, today=TODAY)
    assert [p.pk for p in listed] == [payment.pk] and not listed[0].overdue
    late = TODAY + dt.timedelta(days=days + 1)
    assert selectors.advances_unconfirmed(actor=people.owner, today=late)[0].overdue
    assert list(selectors.advances_overdue(actor=people.owner, today=late)) == [payment]
    with pytest.raises(PermissionDenied) as exc:
        services.advance_confirm(actor=people.owner, payment=payment)  # the payer
    assert exc.value.code == "maker_checker" and "另一名工作人员" in exc.value.message
    with pytest.raises(NotFoundOrForbidden):
        services.advance_confirm(actor=people.colleague, payment=payment)  # another township
    with pytest.raises(PermissionDenied):
        services.advance_confirm(actor=people.auditor, payment=payment)  # read-only
    services.advance_confirm(actor=f.partner(people.owner), payment=payment)
    payment.refresh_from_db()
    assert payment.confirmed_by == f.partner(people.owner) and payment.confirmed_at is not None
    assert selectors.advances_unconfirmed(actor=people.owner, today=late) == []


def test_top_up_is_credited_only_after_a_second_person_confirms(tree, people):
    fund = services.fund_open(actor=people.owner, region=tree.town_a)
    row = services.fund_top_up(actor=people.owner, fund=fund, amount_fen=2_000_000, note="区级拨付")
    fund.refresh_from_db()
    assert fund.balance_fen == 0 and not FundMovement.objects.exists()
    assert list(selectors.top_ups_pending(actor=people.owner)) == [row]
    with pytest.raises(PermissionDenied) as exc:
        services.fund_top_up_confirm(actor=people.owner, top_up=row)
    assert exc.value.code == "maker_checker" and "另一名工作人员" in exc.value.message
    for outsider in (people.colleague, people.auditor):
        with pytest.raises(NotFoundOrForbidden):
            services.fund_top_up_confirm(actor=outsider, top_up=row)
    services.fund_top_up_confirm(actor=f.partner(people.owner), top_up=row)
    fund.refresh_from_db()
    assert fund.balance_fen == 2_000_000 and FundMovement.objects.get().amount_fen == 2_000_000
    with pytest.raises(FundError) as exc:
        services.fund_top_up_confirm(actor=f.partner(people.owner), top_up=row)
    assert exc.value.code == "already_confirmed"


def test_absurd_top_up_is_refused_with_a_chinese_message(tree, people):
    fund = services.fund_open(actor=people.owner, region=tree.town_a)
    for amount in (90_000_000_000_000_00, 1_000_000_001, 0, -5):  # 90 trillion yuan; just over the cap; nothing
        with pytest.raises(FundError) as exc:
            services.fund_top_up(actor=people.owner, fund=fund, amount_fen=amount)
        assert "元" in exc.value.message or "大于零" in exc.value.message
    assert not FundTopUp.objects.exists()
    client = Client()
    client.force_login(people.owner)
    r = client.post(f"/temporary/reserve-fund/{fund.pk}/top-up/", {"amount": "90000000000000"}, follow=True)
    assert r.status_code == 200 and not FundTopUp.objects.exists()
    assert ReserveFund.objects.get(pk=fund.pk).balance_fen == 0


def test_screens_list_and_confirm(tree, people, fund):
    payment = _advance(people.owner, f.household(tree.village_a, members=1))
    partner = f.partner(people.owner)
    c = Client()
    c.force_login(partner)
    page = c.get("/temporary/reserve-fund/").content.decode()
    assert "待复核的先行救助" in page and "复核确认" in page
    assert c.post(f"/temporary/advances/{payment.pk}/confirm/", follow=True).status_code == 200
    payment.refresh_from_db()
    assert payment.confirmed_by == partner
    auditor = Client()
    auditor.force_login(people.auditor)
    row = services.fund_top_up(actor=people.owner, fund=fund, amount_fen=100_000)
    assert auditor.post(f"/temporary/reserve-fund/top-ups/{row.pk}/confirm/").status_code == 404
    assert FundTopUp.objects.get(pk=row.pk).confirmed_at is None
