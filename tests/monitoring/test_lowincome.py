"""The low-income population database (一库): categories from entitlements, the engine and identification."""

from __future__ import annotations

import datetime as dt

import pytest

from doudi.core.errors import NotFoundOrForbidden
from doudi.monitoring.choices import Category, EntrySource, IdentificationState
from doudi.monitoring.errors import MonitoringError
from doudi.monitoring.models import LowIncomeMember, Screening
from doudi.monitoring.services import (
    identification_decide,
    identification_propose,
    identification_verify,
    lowincome_refresh,
)
from tests.monitoring.conftest import AS_OF, dibao

pytestmark = pytest.mark.django_db


def _categories(household, day=AS_OF):
    return sorted(LowIncomeMember.objects.filter(household=household).as_of(day).values_list("category", flat=True))


def test_recipients_enter_by_category_from_the_entitlement_start_and_refresh_is_idempotent(tree, people, homes):
    ent = dibao(homes["poor"], start=dt.date(2025, 6, 1))
    first = lowincome_refresh(actor=people.county, region_code=tree.county.code, as_of=AS_OF)
    again = lowincome_refresh(actor=people.county, region_code=tree.county.code, as_of=AS_OF)
    assert _categories(homes["poor"]) == [Category.DIBAO, Category.DIBAO]  # both members
    rows = LowIncomeMember.objects.filter(household=homes["poor"])
    assert {r.valid_from for r in rows} == {ent.start_month}
    assert {r.source_ref for r in rows} == {f"entitlement:{ent.pk}"}
    assert first.opened == 2 and again.opened == 0 and rows.count() == 2


def test_the_engine_screens_every_household_and_flags_eligible_but_not_covered(tree, people, homes):
    lowincome_refresh(actor=people.county, region_code=tree.county.code, as_of=AS_OF)
    poor = Screening.objects.get(household=homes["poor"])
    assert poor.dibao_eligible and not poor.covered
    assert poor.standard_fen == 70000 and poor.counted_members == 2 and poor.income_fen == 30000
    margin = Screening.objects.get(household=homes["margin"])
    assert margin.margin and not margin.dibao_eligible
    well_off = Screening.objects.get(household=homes["well_off"])
    assert not (well_off.dibao_eligible or well_off.margin or well_off.rigid)


def test_a_household_leaving_dibao_moves_to_the_category_the_engine_gives_it(tree, people, homes):
    ent = dibao(homes["margin"])  # paid although its income now puts it in the margin range
    lowincome_refresh(actor=people.county, region_code=tree.county.code, as_of=AS_OF)
    assert _categories(homes["margin"]) == [Category.DIBAO]
    ent.status = "ended"
    ent.save()
    later = AS_OF + dt.timedelta(days=31)
    result = lowincome_refresh(actor=people.county, region_code=tree.county.code, as_of=later)
    assert result.linked == 1
    assert _categories(homes["margin"], later) == [Category.MARGIN]
    row = LowIncomeMember.objects.get(household=homes["margin"], category=Category.MARGIN)
    assert row.source == EntrySource.EXIT_LINKAGE and "退出低保" in row.reason
    ended = LowIncomeMember.objects.get(household=homes["margin"], category=Category.DIBAO)
    assert ended.valid_to == later - dt.timedelta(days=1) and ended.end_reason


def test_refresh_is_limited_to_the_actors_jurisdiction(tree, people, homes):
    with pytest.raises(NotFoundOrForbidden):
        lowincome_refresh(actor=people.colleague, region_code=tree.town_a.code, as_of=AS_OF)
    lowincome_refresh(actor=people.owner, region_code=tree.town_a.code, as_of=AS_OF)
    assert not Screening.objects.filter(household=homes["other_town"]).exists()


def test_identification_needs_the_engine_and_a_second_person(tree, people, homes):
    ident = identification_propose(actor=people.owner, household=homes["margin"], category="margin", channel="apply",
                                   statement="家庭申请低保边缘认定")
    with pytest.raises(MonitoringError) as same:
        identification_verify(actor=people.owner, identification=ident)
        identification_decide(actor=people.owner, identification=ident, approve=True)
    assert same.value.code == "same_person"
    ident.refresh_from_db()
    assert ident.state == IdentificationState.VERIFIED and ident.engine_eligible is True
    assert ident.evaluation.result["margin"]["eligible"] is True
    identification_decide(actor=people.county, identification=ident, approve=True, reason="同意")
    ident.refresh_from_db()
    assert ident.state == IdentificationState.APPROVED and ident.decided_by == people.county
    assert _categories(homes["margin"], dt.date.today()) == [Category.MARGIN]
    assert list(ident.transitions.values_list("to_state", flat=True)) == ["proposed", "verified", "approved"]


def test_identification_cannot_approve_what_the_engine_rejects(tree, people, homes):
    ident = identification_propose(actor=people.owner, household=homes["well_off"], category="rigid",
                                   channel="discovered")
    identification_verify(actor=people.owner, identification=ident)
    with pytest.raises(MonitoringError) as exc:
        identification_decide(actor=people.county, identification=ident, approve=True)
    assert exc.value.code == "engine_not_eligible"
    with pytest.raises(MonitoringError):
        identification_decide(actor=people.county, identification=ident, approve=False)  # a reason is required
    identification_decide(actor=people.county, identification=ident, approve=False, reason="收入超过认定标准")
    assert not LowIncomeMember.objects.filter(household=homes["well_off"]).exists()


def test_identification_is_scoped(tree, people, homes):
    with pytest.raises(NotFoundOrForbidden):
        identification_propose(actor=people.colleague, household=homes["margin"], category="margin",
                               channel="apply")


def test_a_locality_adds_and_ends_other_persons_in_difficulty(tree, people, homes):
    from doudi.monitoring.services import lowincome_add, lowincome_end

    person = homes["well_off"].memberships.get().person_id
    with pytest.raises(MonitoringError):
        lowincome_add(actor=people.owner, household=homes["well_off"], person_id=person, reason="")
    with pytest.raises(NotFoundOrForbidden):
        lowincome_add(actor=people.colleague, household=homes["well_off"], person_id=person, reason="独居老人")
    row = lowincome_add(actor=people.owner, household=homes["well_off"], person_id=person, reason="独居老人，子女失联")
    assert row.category == Category.OTHER and row.source == EntrySource.MANUAL
    assert _categories(homes["well_off"], dt.date.today()) == [Category.OTHER]
    lowincome_end(actor=people.owner, member=row, reason="子女已回乡照料")
    row.refresh_from_db()
    assert row.valid_to is not None and row.end_reason == "子女已回乡照料"
