"""双随机: a draw re-run gives the same sample; inspectors never inspect where they work; findings lead to
corrective actions with profile deadlines and to reviews; results go public only when every item is inspected."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from doudi.core.errors import NotFoundOrForbidden
from doudi.supervision import services
from doudi.supervision.choices import ItemStatus, RoundStatus
from doudi.supervision.draw import draw
from doudi.supervision.errors import SupervisionError
from doudi.supervision.services.rounds import RoundInput
from tests import factories as f
from tests.reviews.conftest import entitlement


@given(seed=st.integers(0, 2**48), n=st.integers(1, 60), k=st.integers(0, 70), per=st.integers(1, 4))
def test_the_same_seed_gives_the_same_draw_and_no_one_twice(seed, n, k, per):
    cands, pool = list(range(100, 100 + n)), list(range(1, 9))
    a = draw(seed=seed, candidates=cands, pool=pool, sample_size=k, per_item=per)
    b = draw(seed=seed, candidates=cands, pool=pool, sample_size=k, per_item=per)
    assert a == b
    assert len(a) == min(k, n) and len({d.candidate for d in a}) == len(a)
    assert all(len(set(d.inspectors)) == len(d.inspectors) == per for d in a)


def test_a_different_seed_draws_differently():
    cands = list(range(1000))
    assert draw(seed=1, candidates=cands, pool=[1, 2], sample_size=10, per_item=1) != \
        draw(seed=2, candidates=cands, pool=[1, 2], sample_size=10, per_item=1)


@pytest.fixture
def recipients(tree):
    return [entitlement(f.household(v)) for v in (tree.village_a, tree.village_a2, tree.village_b) for _ in range(4)]


@pytest.fixture
def inspectors(tree, people):
    return [people.owner, people.colleague, people.county,
            f.user("insp_a2", (tree.town_a, "township_caseworker")),
            f.user("insp_b2", (tree.town_b, "township_caseworker"))]


def _round(actor, tree, seed=42, size=6):
    return services.round_draw(actor=actor, data=RoundInput(region=tree.county, title="2026年第四季度低保抽查",
                                                            sample_size=size, seed=seed,
                                                            as_of=timezone.localdate()))


def test_a_recorded_draw_re_runs_to_the_same_sample(tree, people, recipients, inspectors):
    rnd = _round(people.county, tree)
    assert rnd.population_count == 12 and rnd.items.count() == 6
    assert services.round_verify(round=rnd)
    twin = _round(people.county, tree)  # same seed, same population: same recipients and inspectors
    assert [(i.entitlement_id, {u.pk for u in i.inspectors.all()}) for i in rnd.items.all()] == \
        [(i.entitlement_id, {u.pk for u in i.inspectors.all()}) for i in twin.items.all()]
    # tampering with the record is detected
    rnd.items.order_by("position").first().inspectors.set([people.county])
    assert not services.round_verify(round=rnd)


def test_inspectors_never_inspect_their_own_township(tree, people, recipients, inspectors):
    rnd = _round(people.county, tree, size=12)
    for item in rnd.items.select_related("household__region"):
        team = list(item.inspectors.all())
        assert len(team) == 2  # procedure.min_investigators (S1 Art 16)
        for u in team:
            local = [g.region.prefix for g in u.grants.select_related("region") if g.region.level == "township"]
            assert not any(item.household.region_id.startswith(p) for p in local)


def test_only_the_county_draws_and_a_township_sees_only_its_items(tree, people, recipients, inspectors):
    with pytest.raises(NotFoundOrForbidden):
        services.round_draw(actor=people.owner, data=RoundInput(region=tree.county, title="x", sample_size=2,
                                                                seed=1))
    rnd = _round(people.county, tree, size=12)
    from doudi.supervision.models import InspectionItem

    mine = InspectionItem.objects.restrict(people.owner, "view").filter(round=rnd)
    assert mine.count() == 8 and all(i.household.region_id.startswith(tree.town_a.prefix) for i in mine)


def test_findings_lead_to_actions_reviews_and_publication(tree, people, recipients, inspectors):
    from doudi.core.workdays import add_working_days

    rnd = _round(people.county, tree, size=2)
    first, second = rnd.items.order_by("position")
    today = timezone.localdate()
    with pytest.raises(SupervisionError):
        services.item_record(actor=people.county, item=first, method="visit", inspected_on=today,
                             finding="ineligible", notes="")
    services.item_record(actor=people.county, item=first, method="visit", inspected_on=today,
                         finding="ineligible", notes="家中新购小汽车一辆")
    with pytest.raises(SupervisionError):
        services.round_publish(actor=people.county, round=rnd, summary="共抽查2户")
    services.item_record(actor=people.county, item=second, method="documents", inspected_on=today,
                         finding="none", notes="")
    action = services.action_add(actor=people.county, item=first, description="重新核对家庭财产")
    assert action.due_on == add_working_days(today, 30)  # procedure.inspection.rectification_workdays
    task = services.action_open_review(actor=people.county, action=action)
    assert task.entitlement_id == first.entitlement_id and task.key == f"inspection:{action.pk}"
    services.action_done(actor=people.county, action=action, result="已启动核查并停发")
    first.refresh_from_db()
    assert first.status == ItemStatus.RECTIFIED
    rnd.refresh_from_db()
    assert rnd.status == RoundStatus.DONE and rnd.publish_due is not None
    rnd = services.round_publish(actor=people.county, round=rnd, summary="共抽查2户，发现问题1户，已整改")
    assert rnd.status == RoundStatus.PUBLISHED and rnd.published_on == today


def test_an_empty_population_is_a_clear_error(tree, people, inspectors):
    with pytest.raises(SupervisionError) as e:
        _round(people.county, tree)
    assert "没有可抽取" in e.value.message


def test_risk_filter_new_recipients(tree, people, inspectors):
    old = entitlement(f.household(tree.village_a), start=dt.date(2020, 1, 1))
    new = entitlement(f.household(tree.village_b), start=timezone.localdate().replace(day=1))
    rnd = services.round_draw(actor=people.county, data=RoundInput(region=tree.county, title="新纳入", sample_size=5,
                                                                   risk="new", seed=3))
    assert [i.entitlement_id for i in rnd.items.all()] == [new.pk] and old.pk not in [c for c, _v in
                                                                                     rnd.candidate_ids]


def test_a_drawn_inspector_from_another_township_records_their_item_and_nothing_else(tree, people, recipients,
                                                                                     inspectors):
    rnd = _round(people.county, tree, size=12)
    theirs = rnd.items.filter(inspectors=people.colleague).first()
    assert theirs is not None and theirs.household.region_id.startswith(tree.town_a.prefix)
    services.item_record(actor=people.colleague, item=theirs, method="visit", inspected_on=timezone.localdate(),
                         finding="none", notes="")
    other = rnd.items.exclude(inspectors=people.colleague).filter(
        household__region__code__startswith=tree.town_a.prefix).first()
    with pytest.raises(NotFoundOrForbidden):
        services.item_record(actor=people.colleague, item=other, method="visit", inspected_on=timezone.localdate(),
                             finding="none", notes="")
