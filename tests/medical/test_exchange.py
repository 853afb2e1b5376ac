"""The medical-insurance department pushes settlements through the exchange API (issue 8 item 6): the same loader
as the settlement file (validation, Chinese row errors, all or nothing), idempotent per 结算单号, scoped to the
sender's area."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from doudi.benefits.models import Entitlement
from doudi.medical.models import MedicalClaim
from tests import factories as f


@pytest.fixture
def setup(tree):
    hh = f.household(tree.village_a, members=1)
    person = hh.memberships.get().person
    Entitlement.objects.create(household=hh, person=person, program="tekun", monthly_fen=150_000,
                               start_month=dt.date(2025, 1, 1))
    elsewhere = f.household(tree.village_b, members=1).memberships.get().person
    # the medical-security department of township A's area only (it pushes for its own area)
    dept = f.user("yibao", (tree.town_a, "department"), department="medical_security")
    edu = f.user("jiaoyu", (tree.town_a, "department"), department="education")
    return person, elsewhere, dept, edu


def push(client, user, rows):
    client.force_login(user)
    return client.post("/api/medical/claims/push", data=json.dumps({"rows": rows}), content_type="application/json")


def row(ref, person, **kw):
    return {"结算单号": ref, "身份证号": person.id_number, "类别": "住院", "结算日期": "2026-03-01",
            "医疗机构": "市人民医院", "个人自付金额": "1200.50", **kw}


def test_push_loads_once_and_a_re_push_changes_nothing(client, tree, setup):
    person, _elsewhere, dept, _edu = setup
    rows = [row("YB001", person), {"settlement_no": "YB002", "id_number": person.id_number, "kind": "门诊慢特病",
                                   "settled_on": "2026-03-02", "hospital": "市人民医院", "oop_yuan": 300,
                                   "payee": "医疗机构"}]
    r = push(client, dept, rows)
    assert r.status_code == 200, r.content
    assert r.json() == {"added": 2, "skipped": 0}
    got = {c.external_ref: (c.kind, c.oop_fen, c.source, c.payee, c.entered_by_id)
           for c in MedicalClaim.objects.all()}
    assert got == {"YB001": ("inpatient", 120_050, "exchange", "person", dept.pk),
                   "YB002": ("outpatient_chronic", 30_000, "exchange", "institution", dept.pk)}
    before = list(MedicalClaim.objects.order_by("pk").values())
    again = push(client, dept, rows)
    assert again.status_code == 200 and again.json() == {"added": 0, "skipped": 2}
    assert list(MedicalClaim.objects.order_by("pk").values()) == before


def test_bad_rows_and_another_areas_claim_refuse_the_whole_push(client, tree, setup):
    person, elsewhere, dept, _edu = setup
    r = push(client, dept, [row("YB010", person), row("YB011", person, 结算日期="2026/03/01"),
                            row("YB012", person, 个人自付金额="12.345"), row("YB010", person)])
    body = r.json()
    assert r.status_code == 422 and body["code"] == "bad_rows"
    assert body["errors"][0].startswith("第2行：结算日期须为YYYY-MM-DD")
    assert body["errors"][1].startswith("第3行：") and body["errors"][2] == "第4行：与第1行结算单号重复"
    r = push(client, dept, [row("YB020", person), row("YB021", elsewhere)])  # township B's resident
    assert r.status_code == 422 and r.json()["errors"] == ["第2行：未找到该人员，或不在您的辖区内"]
    assert not MedicalClaim.objects.exists()  # nothing, not even the good rows


def test_only_the_medical_department_pushes(client, tree, setup, people):
    person, _elsewhere, _dept, edu = setup
    r = push(client, edu, [row("YB030", person)])
    assert r.status_code == 403 and "医疗保障部门" in r.json()["message"]
    r = push(client, people.outsider, [row("YB031", person)])  # a civil-affairs account without any grant
    assert r.status_code == 422 and not MedicalClaim.objects.exists()


def test_the_file_import_shares_the_loader(tree, setup, people):
    from doudi.medical.exchange import claims_import
    from doudi.medical.services import ClaimError

    person, _elsewhere, _dept, _edu = setup
    head = "结算单号,身份证号,类别,结算日期,医疗机构,个人自付金额,支付对象\n"
    ok = head + f"JS100,{person.id_number},住院,2026-03-01,市人民医院,100,医疗机构\n"
    assert claims_import(actor=people.owner, content=ok.encode(), filename="a.csv")["added"] == 1
    assert MedicalClaim.objects.get().payee == "institution"
    bad = head + f"JS101,{person.id_number},牙科,2026-03-01,市人民医院,100,\n"
    with pytest.raises(ClaimError, match="第2行：类别“牙科”无效"):
        claims_import(actor=people.owner, content=bad.encode(), filename="b.csv")
