"""Screens and API: a caseworker sees their own jurisdiction's payroll; others get 404."""

from __future__ import annotations

from doudi.payments.generation import payroll_generate
from doudi.payments.services import payroll_create
from tests.payments.conftest import M, dibao


def test_pages_and_api_scoped(client, tree, people, hh):
    ent = dibao(hh())
    p = payroll_create(actor=people.owner, region_code=tree.town_a.code, program="dibao", month=M(2026, 1))
    payroll_generate(payroll_id=p.pk)
    client.force_login(people.owner)
    r = client.get(f"/payments/{p.pk}/")
    page = r.content.decode()
    assert r.status_code == 200 and "生成进度" in page and "合计 1,500.00 元" in page
    for url in ("/payments/", f"/payments/households/{ent.household_id}/", "/payments/statements/",
                "/payments/chart/", "/payments/budget/", "/payments/price-linkage/",
                "/payments/statements/?format=xlsx"):
        assert client.get(url).status_code == 200, url
    api = client.get(f"/api/payments/payrolls/{p.pk}").json()
    assert (api["line_count"], api["total_fen"]) == (1, 150000)
    assert client.post(f"/payments/{p.pk}/reviewed/").status_code == 302
    client.force_login(people.colleague)
    assert client.get(f"/payments/{p.pk}/").status_code == 404
    assert client.get(f"/api/payments/payrolls/{p.pk}").status_code == 404
    assert client.get(f"/payments/households/{ent.household_id}/").status_code == 404


def test_a_transition_reason_longer_than_the_audit_keeps_is_refused(client, tree, people, hh):
    dibao(hh())
    p = payroll_create(actor=people.owner, region_code=tree.town_a.code, program="dibao", month=M(2026, 1))
    payroll_generate(payroll_id=p.pk)
    client.force_login(people.owner)
    r = client.post(f"/payments/{p.pk}/reviewed/", {"reason": "审" * 501}, follow=True)
    assert r.status_code == 200 and "说明不能超过 500 个字" in r.content.decode()
    p.refresh_from_db()
    assert p.status == "draft"


def test_an_unknown_line_filter_shows_every_line(client, tree, people, hh):
    dibao(hh())
    p = payroll_create(actor=people.owner, region_code=tree.town_a.code, program="dibao", month=M(2026, 1))
    payroll_generate(payroll_id=p.pk)
    client.force_login(people.owner)
    for status in ("paid", "x" * 500, ""):
        r = client.get(f"/payments/{p.pk}/", {"status": status})
        assert r.status_code == 200 and "合计 1,500.00 元" in r.content.decode(), status
