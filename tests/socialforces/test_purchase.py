"""Government purchase of services: the profile's cap and social-organisation share refuse a contract with a clear
Chinese message ([000] 三(五)4 Hulunbuir ≤ 2 %; [001] 二(五)16 Dazhou ≥ 30 %)."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.payments.models import Allocation, FundSource
from doudi.rules.purchase import purchase_check
from doudi.socialforces.errors import SocialForcesError
from doudi.socialforces.models import ServiceContract
from doudi.socialforces.services.purchase import ContractTerms, contract_sign
from doudi.socialforces.services.register import organisation_register


def _terms(fen: int) -> ContractTerms:
    return ContractTerms(title="困难老人上门探访服务", year=2026, amount_fen=fen, start_date=dt.date(2026, 3, 1),
                         end_date=dt.date(2026, 12, 31))


@pytest.fixture
def funds(tree):
    """Last year's central + regional subsidy funds for the county: 1 000 000 元 → a 2 % cap of 20 000 元."""
    tree.city.profile = "hulunbuir"
    tree.city.save()
    for level, fen in (("central", 70_000_000), ("provincial", 30_000_000)):
        source = FundSource.objects.create(region=tree.county, year=2025, level=level, amount_fen=fen)
        Allocation.objects.create(source=source, use="dibao", amount_fen=fen)


def test_hulunbuir_cap_refuses_a_contract_past_two_percent(tree, people, funds):
    tree.county.refresh_from_db()
    assert tree.county.effective_profile() == "hulunbuir"
    org = organisation_register(actor=people.county, region=tree.county, name="海拉尔区社工服务中心",
                                kind="social_work")
    contract_sign(actor=people.county, region=tree.county, organisation=org, terms=_terms(1_500_000))
    with pytest.raises(SocialForcesError) as err:
        contract_sign(actor=people.county, region=tree.county, organisation=org, terms=_terms(500_100))
    assert err.value.code == "purchase_over_cap"
    assert "超过上限 20,000 元" in err.value.message and "1,000,000 元的 2.0%" in err.value.message
    assert "呼政办发〔2021〕39号" in err.value.message
    assert ServiceContract.objects.count() == 1, "the refused contract is not stored"
    contract_sign(actor=people.county, region=tree.county, organisation=org, terms=_terms(500_000))  # exactly 2 %


def test_social_organisation_share_is_enforced_where_the_profile_sets_it(tree, people, funds):
    tree.county.profile = "dazhou"
    tree.county.save()
    company = organisation_register(actor=people.county, region=tree.county, name="某物业公司", kind="enterprise")
    charity = organisation_register(actor=people.county, region=tree.county, name="慈善会", kind="charity")
    contract_sign(actor=people.county, region=tree.county, organisation=charity, terms=_terms(300_000))
    contract_sign(actor=people.county, region=tree.county, organisation=company, terms=_terms(700_000))  # 30 %
    with pytest.raises(SocialForcesError, match=r"低于不少于 30\.0% 的要求") as err:
        contract_sign(actor=people.county, region=tree.county, organisation=company, terms=_terms(1_000))
    assert err.value.code == "purchase_under_social_share"


def test_purchase_check_by_hand():
    # base 1 000 000 元, cap 2 % = 20 000 元; 15 000 + 5 000.01 is over by one fen.
    c = purchase_check(base_fen=100_000_000, purchased_fen=1_500_000, social_fen=0, amount_fen=500_001, social=True,
                       cap_bp=200, share_min_bp=None)
    assert (c.cap_fen, c.over_cap, c.under_share) == (2_000_000, True, False)
    c = purchase_check(base_fen=0, purchased_fen=300, social_fen=300, amount_fen=701, social=False, cap_bp=None,
                       share_min_bp=3_000)
    assert (c.cap_fen, c.social_share_after_bp, c.under_share) == (None, 2_997, True)
