"""The social-forces region picker read through a form (core.posted): a code that is no region (too long, not a
code, unknown) is "请选择所属辖区", never a 500, and nothing is filed; a longer code is no longer cut to 12."""

from __future__ import annotations

import pytest
from django.urls import reverse

from doudi.socialforces.models import Organisation
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_bad_region_files_nothing(client, tree):
    both = f.user("both", (tree.town_a, "township_caseworker"), (tree.town_b, "township_caseworker"))
    client.force_login(both)
    url = reverse("socialforces:act", args=["organisation"])
    for bad in (tree.town_b.code + "9", tree.town_b.code + "x" * 5000, "abc", "9" * 12):
        r = client.post(url, {"region": bad, "name": "乙镇社工站", "kind": "social_work"}, follow=True)
        assert r.status_code == 200 and "请选择所属辖区" in r.content.decode(), bad[:20]
    assert not Organisation.objects.exists()
    client.post(url, {"region": tree.town_b.code, "name": "乙镇社工站", "kind": "social_work"})
    assert Organisation.objects.get().region_id == tree.town_b.code
