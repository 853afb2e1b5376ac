"""Maker-checker, bank files, reconciliation, re-issue, price linkage, one-off subsidies, funds."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from doudi.core.errors import DomainError, PermissionDenied
from doudi.payments import bankfiles
from doudi.payments.generation import PayrollError, payroll_generate
from doudi.payments.models import PayrollLine
from doudi.payments.selectors import purchased_services_cap
from doudi.payments.services import (
    allocation_create,
    fund_source_create,
    one_off_create,
    passbook_agreement_create,
    payroll_create,
    payroll_transition,
    price_index_record,
    reissue_failed,
)
from tests import factories as f
from tests.payments.conftest import M, dibao


def approved(maker, checker, region, month):
    p = payroll_create(actor=maker, region_code=region.code, program="dibao", month=month)
    payroll_generate(payroll_id=p.pk, actor=maker)
    with pytest.raises(PermissionDenied) as exc:
        payroll_transition(actor=maker, payroll_id=p.pk, to="reviewed")
    assert exc.value.code == "maker_checker" and "制单人不能审核" in exc.value.message
    payroll_transition(actor=checker, payroll_id=p.pk, to="reviewed")
    with pytest.raises(PermissionDenied):
        payroll_transition(actor=maker, payroll_id=p.pk, to="approved")
    with pytest.raises(PermissionDenied) as exc:
        payroll_transition(actor=checker, payroll_id=p.pk, to="approved")
    assert exc.value.code == "maker_checker" and "审核人不能再审批" in exc.value.message
    return payroll_transition(actor=f.partner(checker), payroll_id=p.pk, to="approved")


def returned(content: bytes, fail: set[str]) -> bytes:
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(bankfiles.RETURN_HEADER)
    for r in rows:
        bad = r["流水号"] in fail
        w.writerow([r["流水号"], r["账号"], r["金额"], "失败" if bad else "成功", "账户已销户" if bad else ""])
    return out.getvalue().encode()


def test_frozen_after_approval_bank_round_trip_and_reissue(tree, people, hh, checker):
    a, b = dibao(hh()), dibao(hh())
    p = approved(people.owner, checker, tree.town_a, M(2026, 1))
    a.household.bank_account = "9999"  # a registry edit after approval does not reach the approved lines
    a.household.save()
    assert PayrollLine.objects.get(entitlement=a).bank_account != "9999"
    with pytest.raises(DomainError):
        payroll_generate(payroll_id=p.pk) if p.gen_state != "done" else payroll_transition(
            actor=checker, payroll_id=p.pk, to="draft")
    _name, content = bankfiles.export_bank_file(actor=people.owner, payroll_id=p.pk, fmt="csv")
    header = content.decode("utf-8-sig").splitlines()[0]
    assert header == "序号,户名,账号,开户行,金额,摘要,流水号" and "1500.00" in content.decode("utf-8-sig")
    _n, xlsx = bankfiles.export_bank_file(actor=people.owner, payroll_id=p.pk, fmt="xlsx")
    ws = load_workbook(io.BytesIO(xlsx)).active
    assert [c.value for c in ws[1]] == bankfiles.HEADER and ws.max_row == 3
    fail_ref = PayrollLine.objects.get(entitlement=b).reference
    ret = returned(content, {fail_ref})
    rec = bankfiles.import_bank_return(actor=people.owner, payroll_id=p.pk, content=ret, filename="r.csv")
    assert (rec.paid_fen, rec.failed_fen, rec.expected_fen) == (150000, 150000, 300000) and rec.balanced
    bankfiles.import_bank_return(actor=people.owner, payroll_id=p.pk, content=ret, filename="r.csv")  # idempotent
    p.refresh_from_db()
    assert p.status == "reconciled"
    with pytest.raises(DomainError):  # account not fixed yet
        reissue_failed(actor=people.owner, payroll_id=p.pk)
    b.household.bank_account = "6228000011112222"
    b.household.save()
    supp = reissue_failed(actor=people.owner, payroll_id=p.pk)
    with pytest.raises(DomainError):
        reissue_failed(actor=people.owner, payroll_id=p.pk)
    line = supp.lines.get()
    assert (line.kind, line.reissue_of.reference, line.bank_account) == ("reissue", fail_ref, "6228000011112222")
    payroll_transition(actor=checker, payroll_id=supp.pk, to="reviewed")
    with pytest.raises(PermissionDenied):
        payroll_transition(actor=people.owner, payroll_id=supp.pk, to="approved")
    payroll_transition(actor=f.partner(checker), payroll_id=supp.pk, to="approved")
    _n, c2 = bankfiles.export_bank_file(actor=checker, payroll_id=supp.pk)
    bankfiles.import_bank_return(actor=checker, payroll_id=supp.pk, content=returned(c2, set()), filename="r2.csv")
    paid_for_b = PayrollLine.objects.filter(entitlement=b, month=M(2026, 1), status="paid")
    assert paid_for_b.count() == 1 and paid_for_b.get().kind == "reissue"


def test_return_file_amount_mismatch_rejected(tree, people, hh, checker):
    dibao(hh())
    p = approved(people.owner, checker, tree.town_a, M(2026, 1))
    _n, content = bankfiles.export_bank_file(actor=people.owner, payroll_id=p.pk)
    bad = returned(content, set()).replace(b"1500.00", b"1500.01")
    with pytest.raises(DomainError, match="不符"):
        bankfiles.import_bank_return(actor=people.owner, payroll_id=p.pk, content=bad, filename="r.csv")
    assert not PayrollLine.objects.filter(status="paid").exists()


def test_outsider_cannot_see_or_export(tree, people, hh, checker):
    dibao(hh())
    p = approved(people.owner, checker, tree.town_a, M(2026, 1))
    for user in (people.outsider, people.colleague):
        with pytest.raises(DomainError):
            bankfiles.export_bank_file(actor=user, payroll_id=p.pk)


def test_read_only_roles_neither_generate_nor_export_and_a_get_changes_nothing(tree, people, hh, checker):
    """Issue 9: auditors triggered generation and downloaded full account numbers; the GET moved the payroll."""
    from django.test import Client

    from doudi.payments.models import Payroll

    dibao(hh())
    draft = payroll_create(actor=people.owner, region_code=tree.town_a.code, program="dibao", month=M(2026, 2))
    p = approved(people.owner, checker, tree.town_a, M(2026, 1))
    dept = f.user("dept", (tree.city, "department"))
    for user in (people.auditor, dept):
        c = Client()
        c.force_login(user)
        c.post(f"/payments/{draft.pk}/generate/")
        c.post(f"/payments/{draft.pk}/generate/", {"background": "1"})
        r = c.post(f"/api/payments/payrolls/{draft.pk}/generate", content_type="application/json")
        assert r.status_code in (403, 404)
        assert c.post(f"/payments/{p.pk}/export.csv").status_code in (302, 404)
        with pytest.raises(DomainError):
            bankfiles.export_bank_file(actor=user, payroll_id=p.pk)
    assert Payroll.objects.get(pk=draft.pk).line_count == 0 and not PayrollLine.objects.filter(payroll=draft).exists()
    # Department users see neither the payroll page nor its lines; the auditor's view of the page is audited.
    dc = Client()
    dc.force_login(dept)
    assert dc.get(f"/payments/{p.pk}/").status_code == 404
    from doudi.audit.models import AuditEvent

    ac = Client()
    ac.force_login(people.auditor)
    page = ac.get(f"/payments/{p.pk}/").content.decode()
    assert AuditEvent.objects.filter(actor=people.auditor, action="view").exists()
    assert "6228" not in page or "****" in page  # accounts masked on the page
    # A GET of the bank file is refused (405) and leaves the payroll approved; the POST exports it.
    owner = Client()
    owner.force_login(people.owner)
    assert owner.get(f"/payments/{p.pk}/export.csv").status_code == 405
    assert Payroll.objects.get(pk=p.pk).status == "approved"
    r = owner.post(f"/payments/{p.pk}/export.csv")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment")
    assert Payroll.objects.get(pk=p.pk).status == "exported"


def test_price_linkage_and_one_off(tree, people, hh):
    dibao(hh())
    price_index_record(actor=people.county, region_code=tree.county.code, month="2026-03", cpi_yoy_bp=360,
                       food_cpi_yoy_bp=200)
    one_off_create(actor=people.county, region_code=tree.county.code, program="dibao", month="2026-03",
                   per_person_fen=10000, decision_ref="测试〔2026〕1号")
    p = payroll_create(actor=people.owner, region_code=tree.town_a.code, program="dibao", month="2026-03")
    p = payroll_generate(payroll_id=p.pk)
    by = dict(PayrollLine.objects.filter(payroll=p).values_list("kind", "amount_fen"))
    # price: 700 × 3.6 % = 25.2 → 25 yuan per person × 3; one-off 100 yuan × 3
    assert by == {"regular": 150000, "price": 7500, "one_off": 30000} and p.price_triggered
    q = payroll_create(actor=people.owner, region_code=tree.town_a.code, program="dibao", month="2026-04")
    assert set(PayrollLine.objects.filter(payroll=payroll_generate(payroll_id=q.pk)).values_list(
        "kind", flat=True)) == {"regular"}


def test_purchased_services_cap_is_the_profiles_and_enforced(tree, people):
    last = fund_source_create(actor=people.county, region_code=tree.county.code, year=2025, level="central",
                              amount_fen=100_000_00)
    allocation_create(actor=people.county, source_id=last.pk, use="dibao", amount_fen=100_000_00)
    now = fund_source_create(actor=people.county, region_code=tree.county.code, year=2026, level="county",
                             amount_fen=10_000_00)
    # national profile: no cap (Hulunbuir's 2 % is Hulunbuir's, not everyone's)
    allocation_create(actor=people.county, source_id=now.pk, use="purchased_services", amount_fen=1_000_00)
    cap = purchased_services_cap(actor=people.county, region=tree.county, year=2026)
    assert (cap.cap_bp, cap.cap_fen, cap.ok) == (None, None, True)
    tree.city.profile = "hulunbuir"  # 2 % of last year's central + regional funds ([000] 三(五)4)
    tree.city.save()
    allocation_create(actor=people.county, source_id=now.pk, use="purchased_services", amount_fen=1_000_00)
    cap = purchased_services_cap(actor=people.county, region=tree.county, year=2026)
    assert (cap.cap_bp, cap.cap_fen, cap.ok, cap.from_profile) == (200, 2_000_00, True, True)
    with pytest.raises(PayrollError) as exc:
        allocation_create(actor=people.county, source_id=now.pk, use="purchased_services", amount_fen=1)
    assert "超过上限2,000.00元" in exc.value.message and "呼政办发" in exc.value.message


def test_passbook_agreement_recorded(tree, people, hh):
    h = hh()
    row = passbook_agreement_create(actor=people.owner, household_id=h.pk, agreement_date="2026-01-05",
                                    file_ref="甲村代管〔2026〕3号", custodian="村会计")
    assert row.village == tree.village_a
    with pytest.raises(DomainError):
        passbook_agreement_create(actor=people.colleague, household_id=h.pk, agreement_date="2026-01-05",
                                  file_ref="x")
