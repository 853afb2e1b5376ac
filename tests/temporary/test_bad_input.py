"""The reserve-fund and temporary-case posts read through forms: bad input is a Chinese message, never a 500, and
nothing is written."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from doudi.cases.workflow import TemporaryDetails
from doudi.temporary.models import FundTopUp, TemporaryPayment
from tests.cases.conftest import apply
from tests.temporary.test_workflows import _emergency

pytestmark = pytest.mark.django_db


def _page(client, url, data=None, **kw) -> str:
    r = client.post(url, data or {}, follow=True, **kw)
    assert r.status_code == 200, r.status_code
    return r.content.decode()


@pytest.mark.parametrize(("data", "message"), [
    ({"amount": "十元"}, "不是有效数字"),
    ({"amount": "1.001"}, "最多保留两位小数"),
    ({"amount": "-5"}, "不能为负数"),
    ({"amount": "100", "note": "说" * 201}, "说明不能超过 200 个字"),
])
def test_a_bad_top_up_is_a_message_and_nothing_is_entered(client, people, fund, data, message):
    client.force_login(people.owner)
    before = FundTopUp.objects.count()
    assert message in _page(client, f"/temporary/reserve-fund/{fund.pk}/top-up/", data)
    assert FundTopUp.objects.count() == before


def test_a_good_top_up_still_goes_through(client, people, fund):
    client.force_login(people.owner)
    before = FundTopUp.objects.count()
    _page(client, f"/temporary/reserve-fund/{fund.pk}/top-up/", {"amount": "100.50", "note": "说" * 200})
    row = FundTopUp.objects.order_by("-id").first()
    assert FundTopUp.objects.count() == before + 1 and row.amount_fen == 10_050 and row.note == "说" * 200


def test_opening_a_fund_for_a_region_not_offered_is_404(client, people, tree):
    client.force_login(people.owner)
    for region in ("", "x" * 5000, tree.town_b.code):
        assert client.post("/temporary/reserve-fund/open/", {"region": region}).status_code == 404


@pytest.mark.parametrize(("amount", "message"), [("abc", "不是有效数字"), ("9" * 30, "超出允许范围")])
def test_a_bad_stage_amount_pays_nothing(client, people, hh, fund, amount, message):
    case = _emergency(people.owner, hh)
    client.force_login(people.owner)
    assert message in _page(client, f"/temporary/cases/{case.pk}/payments/", {"amount": amount, "from_reserve": "on"})
    assert not TemporaryPayment.objects.filter(case=case).exists()


def test_minutes_with_a_bad_date_or_no_file_are_refused(client, people, hh):
    case = apply(people.owner, hh, programs=["temporary"],
                 temporary=TemporaryDetails(type="expenditure", cause="serious_illness",
                                            requested_fen=3_000_000)).cases.get()
    client.force_login(people.owner)
    url = f"/temporary/cases/{case.pk}/minutes/"
    assert "请选择一事一议会议纪要文件" in _page(client, url, {"held_on": "2026-01-01"})
    for day, message in (("2026-02-30", "格式应为 年-月-日"), ("2999-01-01", "超出允许范围")):
        minutes = SimpleUploadedFile("m.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
        assert message in _page(client, url, {"held_on": day, "minutes": minutes})
        case.temporary.refresh_from_db()
        assert not case.temporary.conference_minutes and case.temporary.conference_held_on is None
    minutes = SimpleUploadedFile("m.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    assert "会议纪要已上传" in _page(client, url, {"held_on": "", "minutes": minutes})  # empty: today
    case.temporary.refresh_from_db()
    assert case.temporary.conference_held_on is not None
