"""Money in social forces needs two people: a donation, a donation's use and a purchase contract's payment are
recorded by one and confirmed by another; the recorder's own confirmation is refused in Chinese, and unconfirmed
money is neither spendable (donation) nor shown as paid/used."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from doudi.socialforces import selectors
from doudi.socialforces.errors import SocialForcesError
from doudi.socialforces.models import ContractPayment, Donation, DonationUse
from doudi.socialforces.services import donations, purchase, register
from tests import factories as f


@pytest.fixture
def second(tree):
    return f.user("county_b", (tree.county, "civil_affairs"), display_name="区民政局复核人")


def _contract(tree, people):
    org = register.organisation_register(actor=people.county, region=tree.county, name="社工中心", kind="social_work")
    # no cap in the test profile: signing is allowed
    return purchase.contract_sign(actor=people.county, region=tree.county, organisation=org,
                                  terms=purchase.ContractTerms(title="探访服务", year=2026, amount_fen=1_000_000,
                                                               start_date=dt.date(2026, 1, 1),
                                                               end_date=dt.date(2026, 12, 31)))


def test_donation_and_its_use_need_a_second_person(tree, people, second):
    today = timezone.localdate()
    d = donations.donation_receive(actor=people.county, region=tree.county, donor="爱心企业", received_on=today,
                                   amount_fen=100_000)
    with pytest.raises(SocialForcesError, match="尚未由另一名工作人员确认到账") as err:
        donations.donation_use(actor=people.county, donation=d, used_on=today, amount_fen=10_000, purpose="取暖")
    assert err.value.code == "not_confirmed" and not DonationUse.objects.exists()
    with pytest.raises(SocialForcesError, match="录入人不能确认自己录入的捐赠") as err:
        donations.donation_confirm(actor=people.county, donation=d)
    assert err.value.code == "same_person"
    assert Donation.objects.get().confirmed_by_id is None
    donations.donation_confirm(actor=second, donation=d)
    with pytest.raises(SocialForcesError, match="已确认"):
        donations.donation_confirm(actor=second, donation=d)
    use = donations.donation_use(actor=people.county, donation=d, used_on=today, amount_fen=30_000, purpose="取暖")
    data = selectors.overview(actor=people.county)
    assert data["donations"][0].used is None, "a use counts once confirmed"
    assert [u.pk for u in data["pending_uses"]] == [use.pk]
    with pytest.raises(SocialForcesError, match="录入人不能确认自己录入的捐赠使用"):
        donations.donation_use_confirm(actor=people.county, use=use)
    donations.donation_use_confirm(actor=second, use=use)
    data = selectors.overview(actor=people.county)
    assert data["donations"][0].used == 30_000 and not data["pending_uses"]
    # a pending use still holds its money: two uses cannot together spend more than was given
    donations.donation_use(actor=people.county, donation=d, used_on=today, amount_fen=60_000, purpose="衣物")
    with pytest.raises(SocialForcesError, match="超过该笔捐赠余额 100 元"):
        donations.donation_use(actor=people.county, donation=d, used_on=today, amount_fen=10_001, purpose="米面")


def test_contract_payment_needs_a_second_person(tree, people, second):
    c = _contract(tree, people)
    pay = purchase.contract_pay(actor=people.county, contract=c, paid_on=dt.date(2026, 3, 1), amount_fen=400_000)
    assert selectors.overview(actor=people.county)["contracts"][0].paid is None
    with pytest.raises(SocialForcesError, match="录入人不能确认自己录入的合同付款"):
        purchase.contract_payment_confirm(actor=people.county, payment=pay)
    purchase.contract_payment_confirm(actor=second, payment=pay)
    row = ContractPayment.objects.get()
    assert row.recorded_by == people.county and row.confirmed_by == second and row.confirmed_at is not None
    assert selectors.overview(actor=people.county)["contracts"][0].paid == 400_000


def test_screens_record_and_confirm_with_a_clear_refusal(client, tree, people, second):
    c = _contract(tree, people)
    client.force_login(people.county)
    client.post(reverse("socialforces:act_on", args=["pay", c.pk]), {"paid_on": "2026-03-01", "amount": "1500.50"})
    pay = ContractPayment.objects.get()
    assert pay.amount_fen == 150_050 and pay.recorded_by == people.county
    body = client.post(reverse("socialforces:act_on", args=["confirm_payment", pay.pk]), follow=True
                       ).content.decode()
    assert "录入人不能确认自己录入的合同付款" in body and "待确认的合同付款" in body
    client.force_login(second)
    client.post(reverse("socialforces:act_on", args=["confirm_payment", pay.pk]))
    assert ContractPayment.objects.get().confirmed_by == second


def test_an_outsider_cannot_confirm(tree, people, second):
    today = timezone.localdate()
    d = donations.donation_receive(actor=people.county, region=tree.county, donor="爱心企业", received_on=today,
                                   amount_fen=100_000)
    from doudi.core.errors import NotFoundOrForbidden

    with pytest.raises(NotFoundOrForbidden):
        donations.donation_confirm(actor=people.colleague, donation=d)
