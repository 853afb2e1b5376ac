"""Payroll lines without a bank account (issue 9): flagged and held when the payroll is generated, the rest goes to
the bank, and a held line is released — in the draft itself, or through the supplementary payroll once frozen —
never paid twice."""

from __future__ import annotations

import csv
import io

import pytest

from doudi.core.errors import DomainError
from doudi.payments import bankfiles, holds
from doudi.payments.generation import payroll_generate
from doudi.payments.models import PayrollLine
from doudi.payments.selectors import monthly_totals
from doudi.payments.services import payroll_create, payroll_transition
from tests.payments.conftest import M, dibao
from tests.payments.test_bank_and_funds import returned


def _two(hh):
    """Two 低保 households; the conftest helper gives each an account, the second loses it before generation."""
    with_account, without = dibao(hh()), dibao(hh())
    without.household.bank_account = ""
    without.household.save()
    return with_account, without


def _generate(people, tree):
    p = payroll_create(actor=people.owner, region_code=tree.town_a.code, program="dibao", month=M(2026, 1))
    return payroll_generate(payroll_id=p.pk, actor=people.owner)


def _fix(ent, number="6228000099990001"):
    ent.household.bank_account, ent.household.account_holder = number, "户主"
    ent.household.save()


def test_missing_account_is_held_at_generation_and_the_rest_is_exported(tree, people, hh, checker):
    ok, missing = _two(hh)
    p = _generate(people, tree)
    held = PayrollLine.objects.get(entitlement=missing)
    assert (held.status, held.fail_reason) == ("held", "缺少银行账号")
    assert PayrollLine.objects.get(entitlement=ok).status == "pending"
    payroll_transition(actor=checker, payroll_id=p.pk, to="reviewed")
    from tests import factories as f

    approver = f.user("approver", (tree.county, "civil_affairs"))
    payroll_transition(actor=approver, payroll_id=p.pk, to="approved")
    _name, content = bankfiles.export_bank_file(actor=people.owner, payroll_id=p.pk, fmt="csv")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [r["流水号"] for r in rows] == [PayrollLine.objects.get(entitlement=ok).reference]
    rec = bankfiles.import_bank_return(actor=people.owner, payroll_id=p.pk, content=returned(content, set()),
                                       filename="r.csv")
    assert (rec.expected_fen, rec.paid_fen, rec.held, rec.held_fen) == (150000, 150000, 1, 150000) and rec.balanced
    # Spending counts what was paid, not what is held.
    assert sum(r["total_fen"] for r in monthly_totals(actor=people.owner, year=2026)) == 150000

    # Account fixed after the payroll went out: the held line is paid through the supplementary payroll, once.
    with pytest.raises(DomainError, match="补录账户"):
        holds.payroll_release_held(actor=people.owner, payroll_id=p.pk)
    _fix(missing)
    supp = holds.payroll_release_held(actor=people.owner, payroll_id=p.pk)
    line = supp.lines.get()
    assert supp.batch == 2 and (line.reissue_of_id, line.bank_account) == (held.pk, "6228000099990001")
    with pytest.raises(DomainError):
        holds.payroll_release_held(actor=people.owner, payroll_id=p.pk)
    held.refresh_from_db()
    assert held.status == "held"


def test_release_in_a_draft_takes_the_account_and_goes_out_with_the_payroll(tree, people, hh):
    _ok, missing = _two(hh)
    p = _generate(people, tree)
    _fix(missing)
    assert holds.payroll_release_held(actor=people.owner, payroll_id=p.pk).pk == p.pk
    line = PayrollLine.objects.get(entitlement=missing)
    assert (line.status, line.bank_account, line.fail_reason) == ("pending", "6228000099990001", "")
    with pytest.raises(DomainError):
        holds.payroll_release_held(actor=people.colleague, payroll_id=p.pk)  # another township: not found


def test_a_payroll_stuck_before_flagging_is_unstuck_by_holding(tree, people, hh, checker):
    _ok, missing = _two(hh)
    p = _generate(people, tree)
    PayrollLine.objects.filter(entitlement=missing).update(status="pending", fail_reason="")  # generated long ago
    from tests import factories as f

    payroll_transition(actor=checker, payroll_id=p.pk, to="reviewed")
    payroll_transition(actor=f.user("approver", (tree.county, "civil_affairs")), payroll_id=p.pk, to="approved")
    with pytest.raises(DomainError, match="暂缓缺账号"):
        bankfiles.export_bank_file(actor=people.owner, payroll_id=p.pk)
    assert holds.payroll_hold_missing(actor=people.owner, payroll_id=p.pk) == 1
    with pytest.raises(DomainError):
        holds.payroll_hold_missing(actor=people.owner, payroll_id=p.pk)
    _name, content = bankfiles.export_bank_file(actor=people.owner, payroll_id=p.pk)
    assert len(content.decode("utf-8-sig").strip().splitlines()) == 2


def test_the_payroll_page_flags_held_lines_with_names_and_a_way_to_fix(client, tree, people, hh):
    _ok, missing = _two(hh)
    p = _generate(people, tree)
    client.force_login(people.owner)
    page = client.get(f"/payments/{p.pk}/?status=held").content.decode()
    assert "暂缓发放 1 笔、1,500.00 元" in page and "缺账号" in page
    assert f"/registry/households/{missing.household_id}/edit/#account" in page
    _fix(missing)
    r = client.post(f"/payments/{p.pk}/release/")
    assert r.status_code == 302
    assert PayrollLine.objects.get(entitlement=missing).status == "pending"
