"""The registry screens as a caseworker uses them: scope, masking, the audited full view, dates, evidence forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doudi.audit.models import AuditEvent
from doudi.registry.models import Income, Membership, Person
from tests import factories as f

pytestmark = pytest.mark.django_db


def list_url() -> str:
    return reverse("registry:household_list")


def detail(h, **params):
    url = reverse("registry:household_detail", args=[h.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_list_shows_only_own_township(client, people, homes):
    client.force_login(people.owner)
    body = client.get(list_url()).content.decode()
    assert homes.a.number in body and homes.a2.number in body
    assert homes.b.number not in body and "李乙一" not in body

    client.force_login(people.colleague)
    body = client.get(list_url()).content.decode()
    assert homes.b.number in body and homes.a.number not in body

    client.force_login(people.outsider)
    body = client.get(list_url()).content.decode()
    assert homes.a.number not in body and homes.b.number not in body
    assert "没有找到" in body


def test_search_by_name_and_id_never_crosses_township(owner_client, homes):
    body = owner_client.get(list_url(), {"q": "张甲"}).content.decode()
    assert homes.a.number in body and homes.a2.number not in body
    # The colleague's household, searched by its exact head name or full ID, stays invisible.
    for q in ("李乙一", homes.head_b.id_number):
        # The screen posts its search (an ID never enters a URL) and lands on the list by GET.
        body = owner_client.post(list_url(), {"q": q}, follow=True).content.decode()
        assert homes.b.number not in body and "共 0 户" in body


def test_htmx_search_returns_only_the_results_partial(owner_client, homes):
    response = owner_client.get(list_url(), {"q": "张甲一"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="results"') and "<html" not in body
    assert homes.a.number in body


def test_list_never_shows_a_full_id_number(owner_client, homes):
    body = owner_client.get(list_url()).content.decode()
    ids = Person.objects.values_list("id_number", flat=True)
    assert all(i not in body for i in ids)
    assert homes.head_a.masked_id_number in body


def test_region_filter_narrows_to_a_village(owner_client, tree, homes):
    body = owner_client.get(list_url(), {"region": tree.village_a2.code}).content.decode()
    assert homes.a2.number in body and homes.a.number not in body


def test_export_links_only_for_users_who_may_export(client, people, homes, tree):
    client.force_login(people.owner)
    assert reverse("registry:export", args=["xlsx"]) in client.get(list_url()).content.decode()
    assistant = f.user("assistant", (tree.village_a, "village_assistant"))
    client.force_login(assistant)
    assert reverse("registry:export", args=["xlsx"]) not in client.get(list_url()).content.decode()


def test_detail_out_of_scope_is_the_same_404_as_missing(client, people, homes):
    client.force_login(people.owner)
    assert client.get(detail(homes.b)).status_code == 404
    assert client.get(reverse("registry:household_detail", args=[999999])).status_code == 404
    client.force_login(people.outsider)
    assert client.get(detail(homes.a)).status_code == 404


def test_detail_writes_a_view_audit_event_and_shows_the_full_record(owner_client, people, homes):
    before = AuditEvent.objects.filter(action="view").count()
    response = owner_client.get(detail(homes.a))
    assert response.status_code == 200
    body = response.content.decode()
    assert homes.head_a.id_number in body  # the full record shows full IDs
    assert "1,234.56 元" in body and "工资性收入" in body
    assert "{% block evaluation %}" not in body
    event = AuditEvent.objects.filter(action="view").latest("id")
    assert AuditEvent.objects.filter(action="view").count() == before + 1
    assert event.actor == people.owner and event.object_id == str(homes.a.pk)


def test_department_user_without_view_full_gets_404(client, tree, homes):
    dept = f.user("dept", (tree.county, "department"))
    client.force_login(dept)
    assert homes.a.number in client.get(list_url()).content.decode()
    assert client.get(detail(homes.a)).status_code == 404


def test_as_of_shows_a_member_who_left_later_but_not_one_who_joined_later(owner_client, homes):
    h = homes.a
    leaver = Membership.objects.get(household=h, relationship="child")
    leaver.valid_to = dt.date(2023, 6, 30)
    leaver.save()
    newcomer = Person.objects.create(
        id_number=f.make_id(dt.date(2024, 2, 2)), name="新生儿", sex="F", birth_date=dt.date(2024, 2, 2)
    )
    Membership.objects.create(household=h, person=newcomer, relationship="grandchild", valid_from=dt.date(2024, 2, 2))

    body = owner_client.get(detail(h, as_of="2022-01-01")).content.decode()
    members = body.split('class="members"')[1].split("</section>")[0]
    assert leaver.person.name in members and "新生儿" not in members

    body = owner_client.get(detail(h)).content.decode()
    members = body.split('class="members"')[1].split("</section>")[0]
    assert leaver.person.name not in members and "新生儿" in members
    # The history still tells when each happened.
    timeline = body.split('class="timeline"')[1]
    assert "2024-02-02" in timeline and "2023-06-30" in timeline


def test_bad_as_of_falls_back_to_today_with_a_message(owner_client, homes):
    body = owner_client.get(detail(homes.a, as_of="1800-01-01")).content.decode()
    assert "超出允许范围" in body
    body = owner_client.get(detail(homes.a, as_of="not-a-date")).content.decode()
    assert "日期格式不正确" in body


def add_url(h):
    return reverse("registry:evidence_add", args=[h.pk])


def test_income_add_and_end(owner_client, people, homes):
    response = owner_client.post(
        add_url(homes.a),
        {
            "person": homes.head_a.pk,
            "evidence": "income",
            "kind": "transfer",
            "monthly_yuan": "850.50",
            "valid_from": "2024-01-01",
            "source": "declared",
        },
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    row = Income.objects.get(person=homes.head_a, monthly_fen=85050)
    assert row.kind == "transfer" and row.recorded_by == people.owner
    assert response.headers["HX-Retarget"] == "#household-body"
    assert "850.50 元" in response.content.decode()
    assert AuditEvent.objects.filter(action="create", object_type="registry.income", object_id=str(row.pk)).exists()

    end = reverse("registry:evidence_end", args=[homes.a.pk, "income", row.pk])
    response = owner_client.post(end, {"valid_to": "2024-06-30"}, headers={"HX-Request": "true"})
    row.refresh_from_db()
    assert row.valid_to == dt.date(2024, 6, 30)


def test_evidence_add_with_out_of_range_date_is_refused_in_chinese(owner_client, homes):
    count = Income.objects.count()
    events = AuditEvent.objects.count()
    response = owner_client.post(
        add_url(homes.a),
        {
            "person": homes.head_a.pk,
            "evidence": "income",
            "kind": "wage",
            "monthly_yuan": "100",
            "valid_from": "1899-12-31",
            "source": "declared",
        },
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert "超出允许范围" in body and 'role="alert"' in body
    assert Income.objects.count() == count and AuditEvent.objects.count() == events


def test_evidence_end_before_start_is_refused(owner_client, homes):
    row = Income.objects.get(person=homes.head_a)
    end = reverse("registry:evidence_end", args=[homes.a.pk, "income", row.pk])
    body = owner_client.post(end, {"valid_to": "2019-01-01"}, headers={"HX-Request": "true"}).content.decode()
    assert "早于起始日期" in body
    row.refresh_from_db()
    assert row.valid_to is None


def test_colleague_cannot_add_evidence_to_another_township(client, people, homes):
    client.force_login(people.colleague)
    response = client.post(
        add_url(homes.a),
        {
            "person": homes.head_a.pk,
            "evidence": "income",
            "kind": "wage",
            "monthly_yuan": "1",
            "valid_from": "2024-01-01",
            "source": "declared",
        },
    )
    assert response.status_code == 404
    assert not Income.objects.filter(monthly_fen=100).exists()


def test_other_evidence_kinds_render_and_save(owner_client, homes):
    response = owner_client.get(add_url(homes.a), {"evidence": "disability"}, headers={"HX-Request": "true"})
    assert "残疾类别" in response.content.decode()
    owner_client.post(
        add_url(homes.a),
        {
            "person": homes.head_a.pk,
            "evidence": "disability",
            "type": "physical",
            "grade": "2",
            "valid_from": "2021-03-01",
            "source": "verified",
        },
        headers={"HX-Request": "true"},
    )
    body = owner_client.get(detail(homes.a)).content.decode()
    assert "肢体残疾 · 2级" in body


@pytest.mark.parametrize("person", ["", "abc", "-1", "9" * 30, "1.5"])
def test_evidence_add_for_no_member_is_refused_in_chinese(owner_client, homes, person):
    count = Income.objects.count()
    response = owner_client.post(
        add_url(homes.a),
        {"person": person, "evidence": "income", "kind": "wage", "monthly_yuan": "100", "valid_from": "2024-01-01",
         "source": "declared"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "请选择本户的成员" in response.content.decode()
    assert Income.objects.count() == count


def test_evidence_added_without_htmx_goes_back_to_the_day_shown(owner_client, homes):
    response = owner_client.post(
        add_url(homes.a),
        {"person": homes.head_a.pk, "evidence": "income", "kind": "wage", "monthly_yuan": "100",
         "valid_from": "2024-01-01", "source": "declared", "as_of": "2024-02-01&x=1"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{detail(homes.a)}?as_of=2024-02-01%26x%3D1"  # one parameter, as typed
    assert "日期格式不正确" in owner_client.get(response["Location"]).content.decode()
