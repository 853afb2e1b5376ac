"""Every care and social-forces screen renders for its users, in Chinese, without a 500; and a visit's service need
lands on the social-forces needs list, a family change becomes a monitoring warning for the township."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from doudi.care.choices import SupportMode
from doudi.care.models import VisitTarget
from doudi.care.services.arrangements import arrangement_create
from doudi.care.services.institutions import check_record, institution_create
from doudi.care.services.visits import VisitInput, visit_record
from doudi.monitoring.models import Alert
from doudi.socialforces.models import Need

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 40


@pytest.fixture
def setup(tree, people, tekun_person):
    inst = institution_create(actor=people.owner, region=tree.town_a, name="甲镇敬老院", kind="nursing_home", beds=40,
                              nursing_beds=20)
    check_record(actor=people.owner, institution=inst, level="township", checked_on=dt.date(2026, 1, 5),
                 result="issues", findings="消防通道堆放杂物", corrective_actions="三日内清理",
                 rectify_by=dt.date(2026, 1, 8))
    a = arrangement_create(actor=people.owner, person=tekun_person, mode=SupportMode.DISPERSED,
                           chosen_mode=SupportMode.DISPERSED, start_date=dt.date(2026, 1, 1))
    return {"inst": inst, "arrangement": a, "target": VisitTarget.objects.get(person=tekun_person)}


def test_screens_render(client, people, setup):
    client.force_login(people.owner)
    a = setup["arrangement"]
    for url in (reverse("care:home"), reverse("care:visit_list"), reverse("care:visit_new", args=[setup["target"].pk]),
                reverse("care:arrangement_detail", args=[a.pk]), reverse("care:institution_list"),
                reverse("care:check_new", args=[setup["inst"].pk]), reverse("care:plan", args=[a.household_id]),
                reverse("care:arrangement_new", args=[a.person_id]), reverse("socialforces:home")):
        r = client.get(url)
        assert r.status_code == 200, url
    body = client.get(reverse("care:home")).content.decode()
    assert "甲镇敬老院" in body and "1 项问题待整改" in body
    client.force_login(people.colleague)
    assert client.get(reverse("care:arrangement_detail", args=[a.pk])).status_code == 404


def test_sign_form_posts_and_bad_input_is_a_chinese_message(client, people, setup):
    client.force_login(people.owner)
    a = setup["arrangement"]
    url = reverse("care:agreement_action", args=[a.pk, "sign"])
    r = client.post(url, {"carer_kind": "relative", "carer_name": "李侄子", "duties": "送餐", "visits_per_month": 8,
                          "monthly_fee": "abc", "start_date": "2026-02-01"}, follow=True)
    assert "请输入一个数字" in r.content.decode() or "数字" in r.content.decode()
    assert not a.agreements.exists()
    client.post(url, {"carer_kind": "relative", "carer_name": "李侄子", "duties": "送餐", "visits_per_month": 8,
                      "monthly_fee": "300.50", "start_date": "2026-02-01"})
    assert not a.agreements.exists(), "a fee needs the carer's account"
    client.post(url, {"carer_kind": "relative", "carer_name": "李侄子", "duties": "送餐", "visits_per_month": 8,
                      "monthly_fee": "300.50", "start_date": "2026-02-01", "carer_bank_name": "农商银行",
                      "carer_bank_account": "6229400000000003"})
    assert a.agreements.get().monthly_fee_fen == 30_050


def test_visit_needs_go_to_social_forces_and_monitoring(people, village_user, setup):
    target = setup["target"]
    today = dt.date.today()
    visit = visit_record(actor=village_user, target=target, data=VisitInput(
        visited_on=today, method="home", findings="卫生较差", need="service", need_detail="需要每周助洁"))
    need = Need.objects.get()
    assert visit.outcome_ref == f"socialforces.need:{need.pk}" and need.source == "visit"
    visit = visit_record(actor=village_user, target=target, data=VisitInput(
        visited_on=today, method="home", findings="儿子失业返乡", need="warning", need_detail="家庭收入变化",
        signature=PNG))
    alert = Alert.objects.get()
    assert visit.outcome_ref == f"monitoring.alert:{alert.pk}" and alert.status == "visited"
    assert alert.source == "village", "the township confirms it (一上一下)"


def test_only_a_current_member_joins_the_visiting_list(client, tree, people):
    """A person who left the household is not added to its visiting list: the service finds the person's household as of
    the day (``person_household``), so the plan page cannot add a former member."""
    from tests import factories as f

    hh = f.household(tree.village_a, members=2)
    gone = hh.memberships.get(relationship="child")
    gone.valid_to = dt.date(2021, 6, 30)
    gone.save()
    client.force_login(people.owner)
    url = reverse("care:target_add", args=[hh.pk])
    response = client.post(url, {"person": gone.person_id, "group": "left_behind_elderly"})
    assert response.status_code == 404
    assert not VisitTarget.objects.filter(person_id=gone.person_id).exists()
    head = hh.memberships.get(relationship="head")
    client.post(url, {"person": head.person_id, "group": "left_behind_elderly"})
    assert VisitTarget.objects.filter(person_id=head.person_id).exists()
