"""The 台账导入导出 screens: upload form, error table, success summary, downloads, and who may use them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from doudi.core.ids import mask_resident_id
from doudi.registry.io.columns import HEADERS
from doudi.registry.models import Household, Person
from tests import factories as f
from tests.registry.test_io import dump, row, xlsx


@pytest.fixture
def ids():
    return [f.make_id(dt.date(1985, 6, 1 + i), "F") for i in range(3)]


def upload(client, data: bytes, name: str = "台账.xlsx", ledger: str | None = None):
    payload = {"file": SimpleUploadedFile(name, data), "ledger_date": ledger or dt.date.today().isoformat()}
    return client.post(reverse("registry:import"), payload)


def test_upload_form_links_the_template(client, people):
    client.force_login(people.owner)
    response = client.get(reverse("registry:import"))
    assert response.status_code == 200
    assert reverse("registry:import_template") in response.content.decode()


def test_bad_file_shows_the_error_table_with_masked_ids_and_writes_nothing(client, tree, people, ids):
    client.force_login(people.owner)
    bad = f.bad_check_digit(ids[0])
    rows = [row(region=tree.village_a.code, address="甲村1号", id_number=bad, name="张三", relationship="户主")]
    response = upload(client, xlsx(rows))
    html = response.content.decode()
    assert response.status_code == 400
    assert "未导入任何数据" in html and "校验位错误" in html
    assert bad not in html and mask_resident_id(bad) in html
    assert not Household.objects.exists()


def test_clean_file_shows_the_summary(client, tree, people, ids):
    client.force_login(people.owner)
    rows = [
        row(region=tree.village_a.code, address="甲村1号", id_number=ids[0], name="张三", relationship="户主"),
        row(id_number=ids[1], name="李四", relationship="子女", school_level="义务教育"),
    ]
    response = upload(client, xlsx(rows))
    html = response.content.decode()
    assert response.status_code == 200, html
    assert "新增家庭 1 户" in html and "新增人员 2 人" in html
    assert Person.objects.count() == 2


def test_unreadable_file_is_a_form_error(client, people):
    client.force_login(people.owner)
    response = upload(client, b"not a spreadsheet", name="x.xlsx")
    assert response.status_code == 400
    assert "无法读取" in response.content.decode()


def test_template_download_has_the_importers_headers(client, people):
    client.force_login(people.owner)
    response = client.get(reverse("registry:import_template"))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["台账", "代码表", "填写说明"]
    assert [c.value for c in workbook["台账"][1]] == HEADERS


@pytest.mark.parametrize("name", ["registry:import", "registry:import_template"])
def test_outsider_and_auditor_cannot_import(client, people, name):
    for user in (people.outsider, people.auditor):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 404


def test_outsider_cannot_export(client, tree, people):
    f.household(tree.village_a)
    client.force_login(people.outsider)
    for fmt in ("csv", "xlsx"):
        assert client.get(reverse("registry:export", args=[fmt])).status_code == 404


def test_unknown_export_format_is_404(client, people):
    client.force_login(people.owner)
    assert client.get(reverse("registry:export", args=["pdf"])).status_code == 404


def test_csv_export_holds_only_own_households_and_honours_the_filter(client, tree, people):
    mine = f.household(tree.village_a)
    other_village = f.household(tree.village_a2)
    theirs = f.household(tree.village_b)
    client.force_login(people.owner)
    response = client.get(reverse("registry:export", args=["csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(HEADERS)
    assert mine.number in text and other_village.number in text and theirs.number not in text
    filtered = client.get(reverse("registry:export", args=["csv"]), {"region": tree.village_a.code})
    text = b"".join(filtered.streaming_content).decode("utf-8-sig")
    assert mine.number in text and other_village.number not in text


def test_xlsx_export_reimports_through_the_screen_without_changes(client, tree, people):
    f.household(tree.village_a, members=3)
    client.force_login(people.owner)
    response = client.get(reverse("registry:export", args=["xlsx"]), {"full": "1"})
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    before = dump()
    result = upload(client, data, name="export.xlsx")
    assert result.status_code == 200
    assert "新增家庭 0 户" in result.content.decode()
    assert dump() == before
