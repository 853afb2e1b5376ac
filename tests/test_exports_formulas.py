"""Every spreadsheet the system writes is safe to open in Excel: a name, address or phone that starts like a formula
(``=HYPERLINK(...)``, ``@SUM(...)``, ``+86…``, ``-1+2``, a tab, or the full-width ＝) goes out as text, never as a
live formula, while numbers stay numbers. Checked by opening each file as Excel would (openpyxl, csv)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client

from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core import exports
from doudi.payments import bankfiles
from doudi.registry.io.importer import registry_import
from doudi.registry.io.reader import read_upload
from doudi.registry.models import Person
from tests import factories as f
from tests.payments.conftest import M, dibao
from tests.payments.test_bank_and_funds import approved
from tests.test_list_exports import world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

ATTACKS = ['=HYPERLINK("http://x","点我")', "@SUM(1+1)", "+86 138 0000 0000", "-1+2", "\t=1+1", "＝1+1"]
TRIGGERS = tuple(exports.FORMULA_TRIGGERS)

LIST_EXPORTS = [
    "/cases/export.{fmt}",
    "/audit/export.{fmt}",
    "/referrals/export.{fmt}",
    "/reviews/export.{fmt}",
    "/reviews/overpayments/export.{fmt}",
    "/registry/export.{fmt}",
    "/registry/export.{fmt}?full=1",
]


def cells(content: bytes, fmt: str) -> list[tuple[object, str]]:
    """Every cell of every sheet as (value as read, Excel cell type): 'f' is a formula, 'n' a number, 's' text."""
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(content))
        return [(c.value, c.data_type) for ws in book.worksheets for row in ws.iter_rows() for c in row
                if c.value is not None]
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    return [(v, "s") for row in rows for v in row if v]


def assert_no_formula(found: list[tuple[object, str]], where: str) -> None:
    assert found, f"{where}: nothing was checked"
    for value, kind in found:
        assert kind != "f", f"{where}: a live formula {value!r}"
        if isinstance(value, str):
            assert not value.startswith(TRIGGERS), f"{where}: a cell starts with a formula trigger: {value!r}"


@pytest.fixture
def poisoned(world):  # noqa: F811
    """Names, addresses and phones of the export fixtures replaced by formula attacks."""
    for n, membership in enumerate(m for h in (world.mine, world.theirs) for m in h.memberships.all()):
        person = membership.person
        person.name = ATTACKS[n % len(ATTACKS)]
        person.phone = "+8613800000000"
        person.save()
    for n, household in enumerate((world.mine, world.theirs)):
        household.address = ATTACKS[-1 - n]
        household.phone = "-13800000000"
        household.save()
    # The audit log shows object names: one event per attack text.
    for text in ATTACKS:
        audit_record(actor=None, action=AuditAction.UPDATE, object_type="registry.person", object_repr=text,
                     region_code=world.mine.region_id)
    return world


@pytest.mark.parametrize("url", LIST_EXPORTS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_list_and_ledger_exports_hold_no_live_formula(poisoned, people, url, fmt):
    client = Client()
    client.force_login(people.county if "registry" in url else people.auditor)
    response = client.get(url.format(fmt=fmt))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    found = cells(content, fmt)
    assert_no_formula(found, url.format(fmt=fmt))
    texts = [v for v, _kind in found if isinstance(v, str)]
    if "audit" in url or "registry" in url or "cases" in url:
        # The attack text itself is still there, readable, after the apostrophe.
        assert any(t.startswith("'=HYPERLINK") or t.startswith("'＝") or t.startswith("'@") for t in texts), texts


def test_bank_files_and_statements_hold_no_live_formula(client, tree, people):
    household = f.household(tree.village_a, members=1)
    household.account_holder = "=HYPERLINK(\"http://x\",\"点我\")"
    household.bank_name = "@SUM(1+1)"
    household.save()
    checker = f.user("checker", (tree.town_a, "township_caseworker"))
    dibao(household, members=1, start=M(2026, 1))
    payroll = approved(people.owner, checker, tree.town_a, M(2026, 1))
    for fmt in ("csv", "xlsx"):
        _name, content = bankfiles.export_bank_file(actor=people.owner, payroll_id=payroll.pk, fmt=fmt)
        found = cells(content, fmt)
        assert_no_formula(found, f"bank file {fmt}")
        values = [v for v, _kind in found]
        # The bank still reads the holder's text (after the apostrophe) and the amount as plain digits.
        assert "'=HYPERLINK(\"http://x\",\"点我\")" in values
        assert any(isinstance(v, str) and v.replace(".", "").isdigit() and v.endswith(".00") for v in values)
    client.force_login(people.owner)
    response = client.get("/payments/statements/", {"year": 2026, "format": "xlsx"})
    assert response.status_code == 200
    found = cells(response.content, "xlsx")
    assert_no_formula(found, "statements")
    assert any(kind == "n" for _v, kind in found), "amounts in the statements stay numbers"


def test_numbers_stay_numbers_and_text_is_escaped_by_the_writer():
    rows = [["=1+1", Decimal("-12.50"), -5, "+86 10 1234", dt.date(2026, 1, 31), "普通文字", "－1"]]
    csv_text = exports.csv_bytes(["a", "b", "c", "d", "e", "f", "g"], rows).decode("utf-8-sig")
    assert csv_text.splitlines()[1] == "'=1+1,-12.50,-5,'+86 10 1234,2026-01-31,普通文字,'－1"
    sheet = openpyxl.load_workbook(exports.xlsx_file(["a", "b", "c", "d", "e", "f", "g"], rows, title="t")).active
    row = [(c.value, c.data_type) for c in sheet[2]]
    assert row[0] == ("'=1+1", "s")
    assert row[1] == (-12.5, "n") and row[2] == (-5, "n"), "negative numbers are numbers, not escaped text"
    assert row[3] == ("'+86 10 1234", "s") and row[6] == ("'－1", "s")


def test_a_full_ledger_with_formula_like_names_reimports_unchanged(tree, people):
    household = f.household(tree.village_a, members=2)
    attacker = household.memberships.order_by("id").last().person
    attacker.name = "=HYPERLINK(\"http://x\",\"点我\")"
    attacker.save()
    client = Client()
    client.force_login(people.county)
    for fmt in ("csv", "xlsx"):
        content = b"".join(client.get(f"/registry/export.{fmt}?full=1").streaming_content)
        result = registry_import(actor=people.county, sheet=read_upload(f"x.{fmt}", content),
                                 ledger_date=dt.date(2026, 1, 1), filename=f"x.{fmt}")
        assert result.ok, result.errors
        assert Person.objects.get(pk=attacker.pk).name == "=HYPERLINK(\"http://x\",\"点我\")"
        assert result.counts.get("persons_updated", 0) == 0, "the apostrophe is not read back as a new name"
