# ruff: noqa: F811  (pytest fixtures imported from test_claims)
"""The medical screens read their posts through forms (medical.forms): bad input is a Chinese message on the list,
never a 500, and nothing is written."""

from __future__ import annotations

import pytest

from doudi.medical.models import MedicalClaim
from doudi.medical.services import claim_create, claims_evaluate
from doudi.payments.models import PayeeInstitution, Payroll
from tests.medical.test_claims import DAY, hulunbuir, recipients  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _message(client, url, data) -> str:
    r = client.post(url, data, follow=True)
    assert r.status_code == 200, r.status_code
    return r.content.decode()


@pytest.mark.parametrize(("change", "message"), [
    ({"claim_date": "2026-13-45"}, "结算日期须为YYYY-MM-DD"),
    ({"claim_date": ""}, "结算日期须为YYYY-MM-DD"),
    ({"oop": "三百"}, "不是有效数字"),
    ({"oop": "9" * 30}, "超出允许范围"),
    ({"hospital": "医" * 101}, "医疗机构不能超过 100 个字"),
    ({"kind": "x"}, "请选择医疗救助类别"),
])
def test_a_bad_claim_is_a_message_and_no_claim(client, hulunbuir, people, recipients, change, message):
    client.force_login(people.owner)
    good = {"id_number": recipients[0].id_number, "kind": "inpatient", "claim_date": DAY.isoformat(),
            "hospital": "市医院", "oop": "300"}
    assert message in _message(client, "/medical/add/", {**good, **change})
    assert MedicalClaim.objects.count() == 0


def test_a_missing_person_is_named_and_a_lower_case_id_is_found(client, hulunbuir, people, recipients):
    client.force_login(people.owner)
    assert "没有该身份证号" in _message(client, "/medical/add/", {"kind": "inpatient", "claim_date": DAY.isoformat()})
    person = recipients[0]
    _message(client, "/medical/add/", {"id_number": f" {person.id_number.lower()} ", "kind": "inpatient",
                                       "claim_date": DAY.isoformat(), "oop": "1"})
    assert MedicalClaim.objects.get().person == person


def test_bad_months_institutions_and_a_too_long_reason(client, hulunbuir, people, recipients):
    client.force_login(people.owner)
    code = hulunbuir.town_a.code
    assert "月份须为YYYY-MM" in _message(client, "/medical/payroll/", {"region": code, "month": "2026-13"})
    assert "月份须为YYYY-MM" in _message(client, "/medical/payroll/", {"region": code})
    bad_institution = {"region": code, "month": "x", "institution": "一"}
    assert "请选择医疗机构" in _message(client, "/medical/settlement/", bad_institution)
    assert Payroll.objects.count() == 0
    page = _message(client, "/medical/institutions/", {"region": code, "name": "院" * 101, "bank_name": "信用社",
                                                       "bank_account": "6221000001"})
    assert "机构名称不能超过 100 个字" in page and PayeeInstitution.objects.count() == 0
    claim = claim_create(actor=people.owner, person=recipients[0], kind="inpatient", claim_date=DAY, oop_fen=100)
    claims_evaluate(actor=people.owner, claim_ids=[claim.pk])
    client.force_login(people.county)  # the second person, who may decide
    page = _message(client, f"/medical/{claim.pk}/decide/", {"decision": "reject", "reason": "因" * 501})
    assert "理由不能超过 500 个字" in page
    claim.refresh_from_db()
    assert claim.status == "evaluated"
    page = _message(client, f"/medical/{claim.pk}/decide/", {"decision": "reject", "reason": "因" * 500})
    assert "已决定不予救助" in page
    claim.refresh_from_db()
    assert claim.status == "rejected"


def test_an_unknown_status_filter_lists_every_claim(client, hulunbuir, people):
    client.force_login(people.owner)
    assert client.get("/medical/", {"status": "\u202e" * 50}).status_code == 200
