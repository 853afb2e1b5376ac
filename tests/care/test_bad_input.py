"""The household plan's "add to the visiting list" post read through a form (core.posted): a missing or non-numeric
person is a 404 (never a 500, also for a number too big for the column), an unknown group the service's Chinese
message, and nothing is written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doudi.care.models import VisitTarget
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_bad_person_is_404_and_a_bad_group_a_message(client, tree, people):
    hh = f.household(tree.village_a, members=2)
    head = hh.memberships.get(relationship="head")
    client.force_login(people.owner)
    url = reverse("care:target_add", args=[hh.pk])
    for bad in ("", "abc", "²", "1" * 19, "9" * 30, " "):
        assert client.post(url, {"person": bad, "group": "left_behind_elderly"}).status_code == 404, bad
    assert client.post(url, {"group": "left_behind_elderly"}).status_code == 404  # missing
    for group in (None, "", "g" * 5000):
        data = {"person": head.person_id} | ({} if group is None else {"group": group})
        assert "请选择探访对象类别" in client.post(url, data, follow=True).content.decode()
    assert not VisitTarget.objects.exists()
    assert "已纳入探访名单" in client.post(url, {"person": head.person_id, "group": "left_behind_elderly"},
                                           follow=True).content.decode()
    assert VisitTarget.objects.filter(person_id=head.person_id, group="left_behind_elderly").exists()
