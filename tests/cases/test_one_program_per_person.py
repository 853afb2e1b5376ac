"""One basic-living program per person (issue 8 item 4): database constraints, the approval's refusal with the
rule and its source, and intake's warning — also for a person covered in another county, whose details stay hidden."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from doudi.benefits.models import Entitlement
from doudi.cases.choices import State
from doudi.cases.errors import CaseError
from doudi.cases.services import case_transition
from doudi.registry.models import Membership
from tests import factories as f
from tests.cases.conftest import apply, head, to_notice

START = dt.date(2025, 1, 1)


def _ent(hh, program, person=None, status="active"):
    return Entitlement.objects.create(household=hh, person=person, program=program, monthly_fen=50_000,
                                      covered_members=1, start_month=START, status=status)


def test_database_refuses_a_second_live_basic_entitlement(tree):
    hh = f.household(tree.village_a, members=2)
    person = head(hh)
    _ent(hh, "tekun", person)
    for program in ("tekun", "dibao_single"):  # never 特困 twice, never 特困 and 单人户 at once
        with pytest.raises(IntegrityError), transaction.atomic():
            _ent(hh, program, person)
    _ent(hh, "tekun", person, status="ended")  # an ended one does not count
    _ent(hh, "dibao")
    with pytest.raises(IntegrityError), transaction.atomic():
        _ent(hh, "dibao", status="grace")


def _approve(people, hh, program):
    case = to_notice(people.owner, apply(people.owner, hh, programs=(program,)).cases.get(),
                     today=dt.date.today() - dt.timedelta(days=10))
    return case_transition(actor=people.county, case=case, to_state=State.DECIDED_APPROVED)


def test_approval_overlapping_a_live_dibao_is_refused_in_chinese(people, hh, engine):
    _ent(hh, "dibao")
    with pytest.raises(CaseError) as exc:
        _approve(people, hh, "tekun")
    msg = exc.value.message
    assert exc.value.code == "already_covered"
    assert "已在本县（市、区）享受最低生活保障" in msg and "《特困人员认定办法》第四条" in msg
    assert Entitlement.objects.filter(household=hh).count() == 1


def test_other_county_is_named_only_as_a_fact(client, tree, people, hh, engine):
    other_county = f.region("150721000000", "阿荣旗", "county", tree.city)
    town = f.region("150721001000", "那吉镇", "township", other_county)
    village = f.region("150721001001", "某村", "village", town)
    there = f.household(village, members=1)
    person = head(hh)
    Membership.objects.create(household=there, person=person, relationship="head", valid_from=START)
    _ent(there, "tekun", person)
    client.force_login(people.owner)
    page = client.get(f"/cases/apply/{hh.pk}/").content.decode()
    assert f"{person.name}已在其他县（市、区）享受特困人员救助供养" in page
    for secret in ("阿荣旗", "那吉镇", "某村", there.number, "500.00"):
        assert secret not in page
    with pytest.raises(CaseError, match="其他县（市、区）"):
        _approve(people, hh, "tekun")
