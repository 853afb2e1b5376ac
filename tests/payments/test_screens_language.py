"""What a caseworker reads on the payment screens: yuan with two decimals and Chinese labels, never 分 or codes."""

from __future__ import annotations

from doudi.payments.generation import payroll_generate
from doudi.payments.services import payroll_create, payroll_transition
from tests.payments.conftest import M, dibao


def _approved_payroll(tree, people, checker, hh):
    dibao(hh())
    p = payroll_create(actor=people.owner, region_code=tree.town_a.code, program="dibao", month=M(2026, 1))
    payroll_generate(payroll_id=p.pk)
    payroll_transition(actor=checker, payroll_id=p.pk, to="reviewed")
    return p


def test_statements_show_labels_and_yuan(client, tree, people, checker, hh, django_user_model):
    from tests import factories as f

    approver = f.user("approver", (tree.county, "civil_affairs"))
    p = _approved_payroll(tree, people, checker, hh)
    payroll_transition(actor=approver, payroll_id=p.pk, to="approved")
    client.force_login(people.owner)
    page = client.get("/payments/statements/?year=2026").content.decode()
    assert "最低生活保障" in page and "按月发放" in page and "1,500.00" in page
    for code in (">dibao<", ">regular<", "150000", "（分）"):
        assert code not in page, code


def test_payroll_list_and_detail_in_yuan(client, tree, people, checker, hh):
    p = _approved_payroll(tree, people, checker, hh)
    client.force_login(people.owner)
    listing = client.get("/payments/").content.decode()
    assert "1,500.00" in listing
    detail = client.get(f"/payments/{p.pk}/").content.decode()
    assert "合计 1,500.00 元" in detail and "应发 1,500.00 元" in detail and "150000" not in detail
