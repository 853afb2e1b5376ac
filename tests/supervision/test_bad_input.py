"""The supervision posts read through forms (core.posted): a summary, requirement or result longer than 2000
characters is refused with a Chinese message instead of being cut, and nothing is written."""

from __future__ import annotations

import pytest
from django.utils import timezone

from doudi.supervision import services
from doudi.supervision.choices import RoundStatus
from doudi.supervision.models import CorrectiveAction
from tests import factories as f
from tests.reviews.conftest import entitlement
from tests.supervision.test_draw import _round

pytestmark = pytest.mark.django_db


def _page(client, url, data) -> str:
    r = client.post(url, data, follow=True)
    assert r.status_code == 200, r.status_code
    return r.content.decode()


def test_long_texts_are_refused_and_nothing_is_written(client, tree, people):
    for v in (tree.village_a, tree.village_b):
        entitlement(f.household(v))
    f.user("insp_a2", (tree.town_a, "township_caseworker"))
    f.user("insp_b2", (tree.town_b, "township_caseworker"))
    rnd = _round(people.county, tree, size=2)
    first, second = rnd.items.order_by("position")
    today = timezone.localdate()
    services.item_record(actor=people.county, item=first, method="visit", inspected_on=today,
                         finding="ineligible", notes="家中新购小汽车一辆")
    services.item_record(actor=people.county, item=second, method="documents", inspected_on=today,
                         finding="none", notes="")
    client.force_login(people.county)

    add = f"/supervision/items/{first.pk}/action/"
    assert "整改要求不能超过 2000 个字" in _page(client, add, {"description": "改" * 2001})
    assert not CorrectiveAction.objects.filter(item=first).exists()
    assert "请填写整改要求" in _page(client, add, {})  # missing: the service's message, as before
    assert not CorrectiveAction.objects.filter(item=first).exists()
    _page(client, add, {"description": "改" * 2000})
    action = CorrectiveAction.objects.get(item=first)
    assert action.description == "改" * 2000

    done = f"/supervision/actions/{action.pk}/done/"
    assert "整改结果不能超过 2000 个字" in _page(client, done, {"result": "果" * 2001})
    action.refresh_from_db()
    assert action.done_on is None and action.result == ""
    _page(client, done, {"result": "果" * 2000})
    action.refresh_from_db()
    assert action.done_on == today and action.result == "果" * 2000

    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.DONE
    publish = f"/supervision/rounds/{rnd.pk}/publish/"
    assert "公开说明不能超过 2000 个字" in _page(client, publish, {"summary": "说" * 2001})
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.DONE and rnd.public_summary == ""
    assert "检查结果已公开" in _page(client, publish, {"summary": "说" * 2000})
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.PUBLISHED and rnd.public_summary == "说" * 2000


def test_a_bad_action_id_or_step_is_404(client, people):
    client.force_login(people.county)
    assert client.post("/supervision/actions/999999/done/", {"result": "x"}).status_code == 404
