"""A user granted two regions files a new row under the region they choose in the form, never under whichever grant
happens to come first; without a choice nothing is filed. The care overview shows the ratios of every granted
region."""

from __future__ import annotations

from django.urls import reverse

from doudi.socialforces.models import Organisation
from tests import factories as f


def test_two_grants_file_under_the_chosen_region(client, tree):
    both = f.user("both", (tree.town_a, "township_caseworker"), (tree.town_b, "township_caseworker"))
    client.force_login(both)
    url = reverse("socialforces:act", args=["organisation"])
    r = client.post(url, {"name": "乙镇社工站", "kind": "social_work"}, follow=True)
    assert "请选择所属辖区" in r.content.decode() and not Organisation.objects.exists()
    client.post(url, {"region": tree.town_b.code, "name": "乙镇社工站", "kind": "social_work"})
    assert Organisation.objects.get().region_id == tree.town_b.code
    client.post(url, {"region": tree.county.code, "name": "县社工站", "kind": "social_work"})
    assert Organisation.objects.count() == 1, "a region outside the grants is refused by the service"
    body = client.get(reverse("care:home")).content.decode()
    assert "甲镇" in body and "乙镇" in body


def test_one_grant_needs_no_choice(client, tree, people):
    client.force_login(people.owner)
    client.post(reverse("socialforces:act", args=["organisation"]), {"name": "甲镇志愿队", "kind": "volunteer_team"})
    assert Organisation.objects.get().region_id == tree.town_a.code
    assert "甲镇" in client.get(reverse("socialforces:home")).content.decode()
