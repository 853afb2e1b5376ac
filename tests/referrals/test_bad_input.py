"""The referral posts read through forms (core.posted): an answer or a need detail longer than its column is a
Chinese message instead of a database error or a cut, a bad status or need type stays the service's message, and
nothing is written."""

from __future__ import annotations

import pytest

from doudi.referrals import services
from doudi.referrals.models import Referral, ReferralTransition
from tests import factories as f

pytestmark = pytest.mark.django_db


def _page(client, url, data) -> str:
    r = client.post(url, data, follow=True)
    assert r.status_code == 200, r.status_code
    return r.content.decode()


def test_a_bad_answer_moves_nothing(client, tree, people):
    referral = services.referral_create(actor=people.owner, household=f.household(tree.village_a), need_type="medical")
    client.force_login(f.user("med_a", (tree.town_a, "department"), department="medical_security"))
    url = f"/referrals/{referral.pk}/transition/"
    assert "办理结果不能超过 500 个字" in _page(client, url, {"to_status": "declined", "answer": "答" * 501})
    assert "不能从" in _page(client, url, {"to_status": "x" * 5000, "answer": "答"})
    assert "须填写答复" in _page(client, url, {"to_status": "declined"})  # missing answer
    referral.refresh_from_db()
    assert referral.status == "sent" and referral.answer == ""
    assert ReferralTransition.objects.filter(referral=referral).count() == 1
    assert "已更新转办事项" in _page(client, url, {"to_status": "declined", "answer": "答" * 500})
    referral.refresh_from_db()
    assert referral.status == "declined" and referral.answer == "答" * 500
    assert client.post("/referrals/999999/transition/", {"to_status": "declined"}).status_code == 404


def test_a_bad_referral_is_not_sent(client, tree, people):
    household = f.household(tree.village_a)
    client.force_login(people.owner)
    url = f"/referrals/households/{household.pk}/"
    assert "需求说明不能超过 500 个字" in _page(client, url, {"need_type": "medical", "need_detail": "需" * 501})
    assert "救助需求类型无效" in _page(client, url, {"need_type": "y" * 5000, "need_detail": "需"})
    assert "救助需求类型无效" in _page(client, url, {})  # missing
    assert not Referral.objects.filter(household=household).exists()
    assert "已推送至承办部门" in _page(client, url, {"need_type": "medical", "need_detail": "需" * 500})
    assert Referral.objects.get(household=household).need_detail == "需" * 500
