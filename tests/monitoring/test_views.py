"""The monitoring screens: who sees what, uploads with Chinese row errors, the phone visit form, exports, API push."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json

import pytest
from django.test import Client
from django.utils import timezone

from doudi.audit.models import AuditEvent
from doudi.monitoring.models import Alert, FeedBatch, Screening
from doudi.registry.models import Membership
from tests import factories as f
from tests.monitoring.conftest import dibao, with_income

pytestmark = pytest.mark.django_db
SIGNED = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\x00" * 32).decode()
PAGES = ["/monitoring/", "/monitoring/alerts/", "/monitoring/rollup/", "/monitoring/lowincome/",
         "/monitoring/discovery/", "/monitoring/identifications/", "/monitoring/plans/", "/monitoring/runs/"]


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _alert(household, region, key, *, rule="death_still_paid", title="救助对象已死亡仍在享受待遇（死亡保）",
           health=False, status="new"):
    return Alert.objects.create(key=key, rule_code=rule, rule_title=title, severity="red", suggested="stop",
                                deadline_days=10, household=household, region=region, period=dt.date(2026, 2, 1),
                                status=status, health=health, detail="测试说明",
                                deadline=timezone.localdate() - dt.timedelta(days=3) if status == "pushed" else None)


@pytest.fixture
def world(tree):
    mine = with_income(f.household(tree.village_a, members=2), 300)
    theirs = with_income(f.household(tree.village_b, members=1), 300)
    dibao(mine)
    return {"mine": mine, "theirs": theirs,
            "a1": _alert(mine, tree.village_a, "k1", status="pushed"),
            "a2": _alert(theirs, tree.village_b, "k2"),
            "health": _alert(mine, tree.village_a, "k3", rule="medical_oop_amount", title="近12个月医疗自付费用较高",
                             health=True)}


def test_pages_open_for_the_county_and_hide_from_the_unauthorised(tree, people, world):
    medical = f.user("yibao", (tree.county, "department"), department="medical_security")
    for url in PAGES:
        assert _client(people.county).get(url).status_code == 200, url
        assert _client(people.outsider).get(url).status_code in (302, 404), url
        assert _client(medical).get(url).status_code == 404, url  # warnings hold personal data
    assert _client(medical).get("/monitoring/feeds/").status_code == 200


def _head_named(household, name):
    head = household.memberships.get(relationship="head").person
    head.name = name
    head.save(update_fields=["name"])


def test_a_township_sees_only_its_own_warnings(tree, people, world):
    # Lists name the household by its head (户主姓名), not by the 18-digit number.
    _head_named(world["mine"], "本镇户主")
    _head_named(world["theirs"], "他镇户主")
    mine = _client(people.owner).get("/monitoring/alerts/").content.decode()
    assert "本镇户主" in mine and "他镇户主" not in mine
    assert _client(people.owner).get(f"/monitoring/alerts/{world['a2'].pk}/").status_code == 404
    rollup = _client(people.county).get("/monitoring/rollup/").content.decode()
    assert "甲镇" in rollup and "乙镇" in rollup and "本镇户主" in rollup  # the overdue list


def test_opening_a_warning_or_a_household_timeline_is_audited(tree, people, world):
    # Both are full records (the person, the visit findings, the low-income entries), like the case page.
    c = _client(people.owner)
    assert c.get(f"/monitoring/alerts/{world['a1'].pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="view", object_type="monitoring.alert",
                                     object_id=str(world["a1"].pk)).count() == 1
    assert c.get(f"/monitoring/households/{world['mine'].pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="view", object_type="registry.household",
                                     object_id=str(world["mine"].pk)).count() == 1


def test_the_home_page_count_leads_to_the_list_of_eligible_households_not_covered(tree, people, world):
    Screening.objects.create(household=world["theirs"], region=tree.village_b, as_of=dt.date(2026, 3, 1),
                             profile="national", policy_version="x", dibao_eligible=True, covered=False)
    home = _client(people.county).get("/").content.decode()
    assert "户符合条件尚未纳入（供主动发现）" in home and 'href="/monitoring/discovery/"' in home
    _head_named(world["theirs"], "他镇户主")
    listing = _client(people.county).get("/monitoring/discovery/").content.decode()
    assert "他镇户主" in listing
    assert "他镇户主" not in _client(people.owner).get("/monitoring/discovery/").content.decode()


def test_the_export_is_masked_scoped_and_names_health_warnings_only_generically(tree, people, world):
    response = _client(people.owner).get("/monitoring/alerts/export.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    text = "\n".join(",".join(r) for r in rows[1:])
    assert rows[0][0] == "预警事项" and len(rows) == 3
    assert world["mine"].number in text and world["theirs"].number not in text
    assert "医疗" not in text and "涉及健康信息的预警" in text
    for m in Membership.objects.all():
        assert m.person.id_number not in text
    assert AuditEvent.objects.filter(action="export", object_type="monitoring.alert").count() == 1
    lowincome = _client(people.county).get("/monitoring/lowincome/export.xlsx")
    assert lowincome.status_code == 200


def test_a_malformed_upload_writes_nothing_and_lists_each_bad_row(tree, people):
    medical = f.user("yibao", (tree.county, "department"), department="medical_security")
    data = ("身份证号码,结算单号,结算日期,就诊类型,医疗总费用（元）,个人自付（元）\n"
            "123,JS1,2026-02-01,住院,100,50\n").encode()
    upload = io.BytesIO(data)
    upload.name = "bad.csv"
    response = _client(medical).post("/monitoring/feeds/", {"feed": "medical_settlement", "region": tree.county.code,
                                                            "period": "2026-02", "file": upload}, follow=True)
    page = response.content.decode()
    assert "文件有 1 行错误，未导入任何数据。" in page and "第 2 行：身份证号码“123”无效" in page
    assert FeedBatch.objects.count() == 0


def test_the_village_assistant_submits_a_signed_visit_from_the_phone_form(tree, people, world):
    village = f.user("cun", (tree.village_a, "village_assistant"))
    _head_named(world["mine"], "本村户主")
    assert "本村户主" in _client(village).get("/monitoring/village/").content.decode()
    response = _client(village).post(f"/monitoring/village/{world['a1'].pk}/", {
        "visited_on": timezone.localdate().isoformat(), "findings": "入户核实，本人已于上月去世", "proposal": "stop",
        "signature": SIGNED}, follow=True)
    assert "已提交核实情况" in response.content.decode()
    world["a1"].refresh_from_db()
    assert world["a1"].status == "visited" and world["a1"].visits.get().signature.read().startswith(b"\x89PNG")
    unsigned = _client(village).post(f"/monitoring/village/{world['a1'].pk}/", {
        "visited_on": timezone.localdate().isoformat(), "findings": "x", "proposal": "stop"})
    assert "请走访人在屏幕上签名" in unsigned.content.decode()


def test_the_exchange_push_api_is_all_or_nothing(tree, people):
    medical = f.user("yibao", (tree.county, "department"), department="medical_security")
    home = f.household(tree.village_a)
    number = Membership.objects.get(household=home).person.id_number
    c = _client(medical)
    good = {"id_number": number, "settlement_no": "P1", "settled_on": "2026-02-03", "visit_type": "住院",
            "total_yuan": "100", "oop_yuan": "60"}
    bad = {**good, "settlement_no": "P2", "oop_yuan": "600"}
    body = {"region_code": tree.county.code, "period": "2026-02-01", "rows": [good, bad]}
    response = c.post("/api/monitoring/feeds/medical_settlement/push", json.dumps(body),
                      content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"] == ["第 2 行：个人自付不能大于医疗总费用"] and FeedBatch.objects.count() == 0
    body["rows"] = [good]
    response = c.post("/api/monitoring/feeds/medical_settlement/push", json.dumps(body),
                      content_type="application/json")
    assert response.status_code == 200 and response.json()["matched"] == 1
