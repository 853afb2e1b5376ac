"""The township reserve fund (备用金): a ledger with the balance after each movement, one alert per crossing."""

from __future__ import annotations

import pytest

from doudi.core.errors import NotFoundOrForbidden
from doudi.temporary import services
from doudi.temporary.errors import FundError
from doudi.temporary.models import FundAlert, FundMovement
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_top_up_and_draw_keep_a_ledger_and_alert_once(tree, people):
    tree.city.profile = "shiqiao"  # its 50 000-yuan reserve line ([004] 五); other profiles set none
    tree.city.save()
    fund = services.fund_open(actor=people.owner, region=tree.town_a)
    assert FundAlert.objects.filter(fund=fund, cleared_at__isnull=True).count() == 1  # empty fund is below the line
    f.top_up_confirmed(people.owner, fund, 6_000_000)
    assert FundAlert.objects.filter(fund=fund, cleared_at__isnull=True).count() == 0
    services.fund_draw(actor=people.owner, region=tree.village_a, amount_fen=800_000)
    services.fund_draw(actor=people.owner, region=tree.village_a, amount_fen=100_000)
    fund.refresh_from_db()
    assert fund.balance_fen == 5_100_000 and fund.low_alert_open is False
    services.fund_draw(actor=people.owner, region=tree.village_a, amount_fen=200_000)
    services.fund_draw(actor=people.owner, region=tree.village_a, amount_fen=100_000)
    assert FundAlert.objects.filter(fund=fund, cleared_at__isnull=True).count() == 1  # never alerts twice
    balances = list(FundMovement.objects.order_by("id").values_list("balance_after_fen", flat=True))
    assert balances == [6_000_000, 5_200_000, 5_100_000, 4_900_000, 4_800_000]


def test_scope_and_validation(tree, people):
    fund = services.fund_open(actor=people.owner, region=tree.town_a)
    with pytest.raises(NotFoundOrForbidden):
        services.fund_top_up(actor=people.colleague, fund=fund, amount_fen=100)
    with pytest.raises(NotFoundOrForbidden):
        services.fund_draw(actor=people.colleague, region=tree.village_a, amount_fen=100)
    with pytest.raises(FundError):
        services.fund_open(actor=people.owner, region=tree.village_a)
    with pytest.raises(FundError) as exc:
        services.fund_draw(actor=people.owner, region=tree.village_b, amount_fen=100)
    assert exc.value.code == "no_reserve_fund"
