"""The kinds of bad input issue 9 lists, one by one: each is refused with a Chinese message and writes nothing —
never a server error, never Python's own error text. (The fuzz tests in this folder look for more of the same.)"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from doudi.cases.models import Investigation
from doudi.payments.models import FundSource, PassbookAgreement
from doudi.registry.io.columns import HEADERS
from doudi.registry.io.importer import registry_import
from doudi.registry.io.reader import read_upload
from doudi.registry.models import Household
from doudi.reviews.models import CreditRecord
from doudi.temporary.models import FundMovement
from doudi.temporary.services import reserve as fund_services
from tests import factories as f
from tests.cases.conftest import apply

pytestmark = pytest.mark.django_db

PYTHON_TEXT = re.compile(r"invalid literal|Traceback|object has no attribute|NoneType|Field '\w+' expected")


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else response.content.decode()


def test_a_huge_top_up_is_refused_in_chinese(tree, people):
    fund = fund_services.fund_open(actor=people.owner, region=tree.town_a)
    before = FundMovement.objects.count()
    for amount in ("9" * 30, "90000000000000", "1e400", "NaN", "abc"):
        response = _client(people.owner).post(f"/temporary/reserve-fund/{fund.pk}/top-up/", {"amount": amount},
                                              follow=True)
        assert response.status_code == 200
        text = _messages(response)
        assert "金额" in text and not PYTHON_TEXT.search(text), (amount, text)
    assert FundMovement.objects.count() == before


def test_event_dates_in_the_future_or_out_of_range_are_refused(tree, people):
    case = apply(people.owner, f.household(tree.village_a, members=1)).cases.get()
    for day in ("2099-01-01", "99999-01-01", "0001-01-01", "2026-02-30", "-7338"):
        response = _client(people.owner).post(f"/cases/{case.pk}/investigations/",
                                              {"kind": "home_visit", "visited_on": day,
                                               "investigators": [people.owner.pk, f.partner(people.owner).pk]},
                                              follow=True)
        assert response.status_code == 200
        assert "日期" in _messages(response), day
    assert not Investigation.objects.exists()


def test_non_numeric_counts_and_ids_give_messages_not_python_errors(tree, people):
    client = _client(people.owner)
    for data in ({"household": "abc", "reason": "fraud", "detail": "x", "source": "civil_affairs"},
                 {"household": "9" * 30, "reason": "fraud", "detail": "x", "source": "civil_affairs"},
                 {"household": "1", "reason": "fraud", "detail": "x", "source": "civil_affairs",
                  "decided_on": "2099-12-31"}):
        response = client.post("/reviews/credit/", data, follow=True)
        assert response.status_code in (200, 404)
        assert not PYTHON_TEXT.search(response.content.decode()), data
    assert not CreditRecord.objects.exists()


def test_a_passbook_agreement_with_a_bad_date_is_refused(tree, people):
    household = f.household(tree.village_a, members=1)
    response = _client(people.owner).post(f"/payments/households/{household.pk}/",
                                          {"agreement_date": "-7338", "file_ref": "X1"}, follow=True)
    assert response.status_code == 200 and "协议日期" in _messages(response)
    assert not PassbookAgreement.objects.exists()


@pytest.mark.parametrize("year", ["0", "99999", "abc"])
def test_out_of_range_years_are_refused_or_ignored(tree, people, year):
    client = _client(people.county)
    response = client.post("/payments/budget/", {"kind": "source", "region": tree.county.code, "year": year,
                                                "level": "central", "amount": "100"}, follow=True)
    assert response.status_code == 200 and not FundSource.objects.exists()
    assert "年度" in _messages(response) or year == "abc"
    # the statements page shows this year for a nonsense year, never a server error
    page = client.get("/payments/statements/", {"year": year})
    assert page.status_code == 200 and str(timezone.localdate().year) in page.content.decode()


def test_letters_in_a_bank_account_are_refused_on_import(tree, people):
    header = ",".join(HEADERS[:11]) + "\n"
    row = f",{tree.village_a.code},测试路1号,农村,,农村信用社,6222ABCD0001,张三,{f.make_id()},张三,户主\n"
    result = registry_import(actor=people.owner, sheet=read_upload("x.csv", (header + row).encode()),
                             ledger_date=dt.date(2026, 1, 1), filename="x.csv")
    assert not result.ok and not Household.objects.exists()
    assert any("银行账号只能由数字组成" in e.message for e in result.errors)


def test_the_api_refuses_unknown_states_and_huge_ids_with_chinese_422(tree, people):
    client = _client(people.county)
    response = client.post("/api/payments/payrolls/1/transition", {"to_state": "bogus"},
                           content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input" and body["field"] == "to_state" and "不是允许的取值" in body["message"]
    response = client.get(f"/api/cases/{'9' * 25}")
    assert response.status_code == 422 and "超出允许范围" in response.json()["message"]
    response = client.post("/api/cases/applications", {"household_id": 1, "applicant_id": 1, "programs": ["dibao"],
                                                        "temporary": {"type": "x", "cause": "y",
                                                                      "requested_fen": 10**19}},
                           content_type="application/json")
    assert response.status_code == 422 and response.json()["field"] == "temporary.requested_fen"


def test_the_api_uses_one_name_for_every_transition():
    from doudi.api import api

    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    targets = set()
    for path, item in schema["paths"].items():
        if "transition" in path:
            ref = item["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            targets |= {name for name in components[ref.rsplit("/", 1)[1]]["properties"] if name.startswith("to")}
    assert targets == {"to_state"}


def test_nul_characters_are_refused_before_any_view(people):
    client = _client(people.county)
    assert client.get("/registry/", {"q": "张\x00三"}).status_code == 400
    response = client.get("/api/cases/", {"state": "\x00"})
    assert response.status_code == 400 and "空字符" in response.json()["message"]
