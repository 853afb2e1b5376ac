"""The region picker (issue 9 item 7): cascading selects inside the user's area replace typed 12-digit codes."""

from __future__ import annotations

from pathlib import Path

import doudi
from doudi.web.region_picker import build_picker
from tests import factories as f


def test_a_county_user_walks_down_to_a_township(tree, people):
    picker = build_picker(people.county, deepest="township", action="change")
    assert picker.fixed == tree.county and picker.value == tree.county.code
    [towns] = picker.selects
    assert [r.name for r in towns.options] == ["甲镇", "乙镇"] and towns.parent_code == tree.county.code
    picker = build_picker(people.county, value=tree.town_b.code, deepest="township", action="change")
    assert picker.value == tree.town_b.code and [s.chosen for s in picker.selects] == [tree.town_b.code]


def test_the_village_level_opens_below_the_chosen_township(tree, people):
    picker = build_picker(people.county, value=tree.town_a.code)
    assert [[r.name for r in s.options] for s in picker.selects] == [["甲镇", "乙镇"], ["甲村", "甲社区"]]
    picker = build_picker(people.county, value=tree.village_a2.code)
    assert picker.value == tree.village_a2.code and picker.selects[-1].chosen == tree.village_a2.code


def test_nothing_outside_the_jurisdiction_is_offered_or_kept(tree, people):
    picker = build_picker(people.owner, value=tree.town_b.code)  # the neighbouring township: ignored
    assert picker.fixed == tree.town_a and picker.value == tree.town_a.code
    names = {r.name for s in picker.selects for r in s.options}
    assert names == {"甲村", "甲社区"}
    assert build_picker(people.outsider).value == "" and build_picker(people.outsider).selects == []


def test_several_grants_give_a_first_select_of_granted_regions(tree):
    both = f.user("both", (tree.town_a, "township_caseworker"), (tree.village_b, "village_assistant"))
    picker = build_picker(both, deepest="village", action="change")
    assert picker.fixed is None and picker.value == ""
    assert [r.name for r in picker.selects[0].options] == ["甲镇", "乙村"]
    picker = build_picker(both, value=tree.village_b.code, action="change")
    assert picker.value == tree.village_b.code and picker.selects[0].chosen == tree.village_b.code


def test_the_htmx_endpoint_renders_the_next_level_and_the_form_reads_the_last_value(client, tree, people):
    client.force_login(people.county)
    html = client.get("/region-picker/", {"name": "region", "deepest": "township", "action": "change",
                                          "region": tree.town_a.code}).content.decode()
    assert 'value="150702001000" selected' in html and "甲村" not in html  # township is the deepest level here
    html = client.get("/region-picker/", {"name": "bad name!", "region": tree.town_b.code}).content.decode()
    assert 'name="region"' in html and "乙村" in html


def test_a_payroll_is_created_from_the_picker_without_typing_a_code(client, tree, people):
    client.force_login(people.county)
    page = client.get("/payments/").content.decode()
    assert 'data-testid="region-picker-region"' in page and "12位" not in page
    # What the browser posts: the fixed county, then the township chosen in the select below it.
    r = client.post("/payments/", {"region": [tree.county.code, tree.town_a.code], "program": "dibao",
                                   "month": "2026-01"})
    assert r.status_code == 302
    from doudi.payments.models import Payroll

    assert Payroll.objects.get().region_id == tree.town_a.code


def test_no_screen_asks_for_a_typed_region_code():
    templates = Path(doudi.__file__).parent.rglob("templates/**/*.html")
    offenders = [str(p) for p in templates if '<input name="region"' in p.read_text(encoding="utf-8")]
    assert offenders == []


def test_the_picker_reads_a_fixed_number_of_times_whatever_the_depth(tree, people, django_assert_max_num_queries):
    build_picker(people.county)  # the user's grants, read once
    with django_assert_max_num_queries(3):  # the granted regions, the chosen one and those above it, their children
        picker = build_picker(people.county, value=tree.village_a2.code)
    assert [s.chosen for s in picker.selects] == [tree.town_a.code, tree.village_a2.code]
