"""A line check's seed read through a form (core.posted): a seed longer than the draw's 16 digits is refused with a
Chinese message instead of being cut (which recorded a wrong seed), a seed that is not a number is no seed as
before (never a 500), and a bad check writes nothing."""

from __future__ import annotations

import pytest

from doudi.hotline.models import HotlineLine, LineCheck

pytestmark = pytest.mark.django_db


def _page(client, url, data) -> str:
    r = client.post(url, data, follow=True)
    assert r.status_code == 200, r.status_code
    return r.content.decode()


def test_a_bad_seed_records_nothing_or_no_seed(client, tree, people):
    line = HotlineLine.objects.create(region=tree.town_a, label="甲镇救助热线", number="0571-1234567")
    client.force_login(people.owner)
    url = f"/hotline/lines/{line.pk}/check/"
    assert "随机种子不能超过 16 个字" in _page(client, url, {"result": "answered", "seed": "1" * 17})
    assert not LineCheck.objects.exists()
    for seed, kept in (("abc", None), ("²", None), ("", None), (None, None), (str(10**15), 10**15)):
        data = {"result": "answered"} | ({} if seed is None else {"seed": seed})
        assert "已记录抽查结果" in _page(client, url, data), seed
        assert LineCheck.objects.order_by("-pk").first().draw_seed == kept, seed
    assert client.post("/hotline/lines/999999/check/", {"result": "answered", "seed": "5"}).status_code == 404
