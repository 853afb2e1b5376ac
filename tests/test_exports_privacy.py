"""Every file the system hands out, and the public notice page, checked for resident ID numbers and health data.

The full registry ledger (``?full=1``) is the one deliberate exception: it exists to be edited and re-imported, needs
``view_full`` and is audited (tests/registry/test_io.py). Bank files carry what a bank needs (name, account, amount)
and nothing else personal.
"""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from doudi.core.ids import mask_ids_in_text
from doudi.payments import bankfiles
from doudi.registry.models import Disability, Illness
from tests import factories as f
from tests.payments.conftest import M, dibao
from tests.payments.test_bank_and_funds import approved

HEALTH_WORDS = ("残疾", "尿毒症", "疾病", "精神", "智力")


def _text_of(content: bytes, name: str) -> str:
    """The data rows of a CSV or every sheet of a workbook, headers left out (they name columns, not people)."""
    if name.endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        lines = []
        for ws in book.worksheets:
            rows = list(ws.iter_rows(values_only=True))[1:]
            lines += [" ".join("" if v is None else str(v) for v in row) for row in rows]
        return "\n".join(lines)
    return "\n".join(content.decode("utf-8-sig").splitlines()[1:])


def _assert_private(text: str, where: str, people_ids: list[str]) -> None:
    assert text.strip(), f"{where} is empty: nothing was checked"
    for number in people_ids:
        assert number not in text, f"{where} holds a resident ID number"
        assert number[6:14] not in text, f"{where} holds a birth date"
    assert mask_ids_in_text(text) == text, f"{where} holds something that is a valid ID number"
    for word in HEALTH_WORDS:
        assert word not in text, f"{where} mentions health data ({word})"


@pytest.fixture
def sick_household(tree):
    h = f.household(tree.village_a, members=2)
    person = h.memberships.first().person
    Disability.objects.create(person=person, type="mental", grade=2, valid_from=dt.date(2020, 1, 1))
    Illness.objects.create(person=person, diagnosis="尿毒症", serious=True, valid_from=dt.date(2020, 1, 1))
    return h


def test_registry_reading_copy_exports_hold_no_ids_or_health(client, people, sick_household):
    ids = [m.person.id_number for m in sick_household.memberships.all()]
    client.force_login(people.owner)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("registry:export", args=[fmt]))
        assert response.status_code == 200
        _assert_private(_text_of(b"".join(response.streaming_content), f"x.{fmt}"), f"registry export {fmt}", ids)


def test_bank_files_and_statements_hold_no_ids_or_health(client, tree, people, sick_household):
    checker = f.user("checker", (tree.town_a, "township_caseworker"))
    dibao(sick_household, members=2, start=M(2026, 1))
    payroll = approved(people.owner, checker, tree.town_a, M(2026, 1))
    ids = [m.person.id_number for m in sick_household.memberships.all()]
    for fmt in ("csv", "xlsx"):
        name, content = bankfiles.export_bank_file(actor=people.owner, payroll_id=payroll.pk, fmt=fmt)
        _assert_private(_text_of(content, name), f"bank file {fmt}", ids)
    client.force_login(people.owner)
    response = client.get(reverse("payments:statements"), {"year": 2026, "format": "xlsx"})
    assert response.status_code == 200
    _assert_private(_text_of(response.content, "s.xlsx"), "statements", ids)


LIST_EXPORTS = {
    # url: who exports it (the audit log is for auditors)
    "/cases/export.{fmt}": "owner",
    "/referrals/export.{fmt}": "owner",
    "/reviews/export.{fmt}": "owner",
    "/reviews/overpayments/export.{fmt}": "owner",
    "/audit/export.{fmt}": "auditor",
}


@pytest.fixture
def sick_household_everywhere(tree, people, sick_household):
    """The sick household on every list, with health details typed into every free-text field a caseworker fills
    in, and health evidence recorded through the service (so the audit log names it)."""
    from doudi.cases import services as case_services
    from doudi.referrals import services as referral_services
    from doudi.registry import services as registry_services
    from doudi.reviews.models import Overpayment, ReviewTask
    from tests.reviews.conftest import entitlement

    person = sick_household.memberships.order_by("id").first().person
    registry_services.evidence_add(actor=people.owner, person=person, evidence_type="disability",
                                   valid_from=dt.date(2021, 1, 1), type="intellectual", grade=1)
    registry_services.evidence_add(actor=people.owner, person=person, evidence_type="illness",
                                   valid_from=dt.date(2021, 1, 1), diagnosis="尿毒症", serious=True)
    case_services.application_submit(actor=people.owner, household=sick_household, applicant=person,
                                     programs=["dibao"], channel="window", commitment_signed=True,
                                     statement=f"{person.id_number} 患尿毒症，精神残疾二级")
    referral_services.referral_create(actor=people.owner, household=sick_household, need_type="medical",
                                      need_detail=f"尿毒症透析 {person.id_number}")
    ent = entitlement(sick_household)
    ReviewTask.objects.create(entitlement=ent, household=sick_household, reason="report", key="report:1",
                              due_on=dt.date(2026, 1, 31), person=person, note="智力残疾，疾病加重")
    Overpayment.objects.create(household=sick_household, entitlement=ent, reason="death",
                               should_stop_on=dt.date(2026, 1, 1), from_month=dt.date(2026, 2, 1),
                               months=["2026-02"], amount_fen=60_000, note=f"{person.id_number} 疾病去世")
    return sick_household


@pytest.mark.parametrize("url", LIST_EXPORTS)
def test_list_exports_hold_no_ids_or_health(client, people, sick_household_everywhere, url):
    ids = [m.person.id_number for m in sick_household_everywhere.memberships.all()]
    client.force_login(getattr(people, LIST_EXPORTS[url]))
    for fmt in ("csv", "xlsx"):
        response = client.get(url.format(fmt=fmt))
        assert response.status_code == 200
        _assert_private(_text_of(b"".join(response.streaming_content), f"x.{fmt}"), f"{url} {fmt}", ids)
