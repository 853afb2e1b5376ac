import datetime as dt

import pytest

from doudi.audit.models import AuditEvent
from doudi.core.errors import NotFoundOrForbidden
from doudi.core.ids import InvalidResidentId
from doudi.registry import services
from doudi.registry.models import Income, Membership, Person
from doudi.registry.selectors import household_snapshot
from tests import factories as f


def test_household_create_numbers_by_village_and_audits(tree, people):
    h = services.household_create(actor=people.owner, region=tree.village_a, address="甲村1组3号")
    assert h.number.startswith(tree.village_a.code) and h.area_type == tree.village_a.area_type
    assert AuditEvent.objects.filter(action="create", object_id=str(h.pk), region_code=tree.village_a.code).exists()


def test_cannot_create_household_outside_jurisdiction(tree, people):
    with pytest.raises(NotFoundOrForbidden):
        services.household_create(actor=people.colleague, region=tree.village_a, address="x")
    with pytest.raises(NotFoundOrForbidden):
        services.household_create(actor=people.outsider, region=tree.village_a, address="x")


def test_member_add_derives_birth_date_and_sex(tree, people):
    h = services.household_create(actor=people.owner, region=tree.village_a, address="甲村")
    m = services.member_add(
        actor=people.owner,
        household=h,
        id_number=f.make_id(dt.date(1950, 6, 1), "F"),
        name="王秀英",
        relationship="head",
        valid_from=dt.date(2024, 1, 1),
    )
    assert m.person.birth_date == dt.date(1950, 6, 1) and m.person.sex == "F"
    change_events = AuditEvent.objects.filter(object_type="registry.person")
    assert change_events.exists()
    assert all(m.person.id_number not in str(e.changes) for e in change_events)


def test_bad_check_digit_writes_nothing(tree, people):
    h = services.household_create(actor=people.owner, region=tree.village_a, address="甲村")
    with pytest.raises(InvalidResidentId, match="校验位"):
        services.member_add(
            actor=people.owner,
            household=h,
            id_number=f.bad_check_digit(f.make_id()),
            name="李四",
            relationship="head",
            valid_from=dt.date(2024, 1, 1),
        )
    assert not Person.objects.exists()


def test_person_cannot_be_current_member_of_two_households(tree, people):
    h1 = services.household_create(actor=people.owner, region=tree.village_a, address="甲村")
    h2 = services.household_create(actor=people.owner, region=tree.village_a, address="甲村2")
    number = f.make_id()
    services.member_add(
        actor=people.owner,
        household=h1,
        id_number=number,
        name="张三",
        relationship="head",
        valid_from=dt.date(2024, 1, 1),
    )
    with pytest.raises(services.RegistryError, match="已是家庭"):
        services.member_add(
            actor=people.owner,
            household=h2,
            id_number=number,
            name="张三",
            relationship="head",
            valid_from=dt.date(2024, 6, 1),
        )
    # After moving out, joining the other household is fine — and the past stays reconstructible.
    services.member_end(
        actor=people.owner, membership=Membership.objects.get(household=h1), valid_to=dt.date(2024, 5, 31)
    )
    services.member_add(
        actor=people.owner,
        household=h2,
        id_number=number,
        name="张三",
        relationship="head",
        valid_from=dt.date(2024, 6, 1),
    )
    assert [m.person.name for m in household_snapshot(h1, as_of=dt.date(2024, 5, 1)).members] == ["张三"]
    assert household_snapshot(h1, as_of=dt.date(2024, 7, 1)).members == []
    assert [m.person.name for m in household_snapshot(h2, as_of=dt.date(2024, 7, 1)).members] == ["张三"]


def test_negative_income_is_refused_and_nothing_written(tree, people):
    person = f.household(tree.village_a).memberships.first().person
    with pytest.raises(services.RegistryError, match="负数"):
        services.evidence_add(
            actor=people.owner,
            person=person,
            evidence_type="income",
            kind="wage",
            valid_from=dt.date(2024, 1, 1),
            monthly_fen=-1,
        )
    assert not Income.objects.exists()


def test_evidence_period_and_range_errors(tree, people):
    person = f.household(tree.village_a).memberships.first().person
    with pytest.raises(services.RegistryError, match="超出允许范围"):
        services.evidence_add(
            actor=people.owner, person=person, evidence_type="workability", level="none", valid_from=dt.date(1800, 1, 1)
        )
    with pytest.raises(services.RegistryError, match="早于起始日期"):
        services.evidence_add(
            actor=people.owner,
            person=person,
            evidence_type="workability",
            level="none",
            valid_from=dt.date(2024, 1, 1),
            valid_to=dt.date(2023, 1, 1),
        )


def test_evidence_in_other_township_is_refused(tree, people):
    person = f.household(tree.village_b).memberships.first().person
    with pytest.raises(NotFoundOrForbidden):
        services.evidence_add(
            actor=people.owner, person=person, evidence_type="workability", level="none", valid_from=dt.date(2024, 1, 1)
        )


def test_snapshot_reconstructs_evidence_as_of_a_date(tree, people):
    person = f.household(tree.village_a).memberships.first().person
    old = services.evidence_add(
        actor=people.owner, person=person, evidence_type="workability", level="full", valid_from=dt.date(2020, 1, 1)
    )
    services.evidence_end(actor=people.owner, evidence=old, valid_to=dt.date(2023, 12, 31))
    services.evidence_add(
        actor=people.owner, person=person, evidence_type="workability", level="none", valid_from=dt.date(2024, 1, 1)
    )
    h = person.memberships.first().household
    then = household_snapshot(h, as_of=dt.date(2022, 6, 1)).all_evidence("workability")
    now = household_snapshot(h, as_of=dt.date(2025, 6, 1)).all_evidence("workability")
    assert [e.level for e in then] == ["full"] and [e.level for e in now] == ["none"]


def test_recording_a_death_ends_membership_and_is_audited(tree, people):
    h = f.household(tree.village_a, members=2)
    person = h.memberships.order_by("id").last().person
    services.person_record_death(actor=people.owner, person=person, date_of_death=dt.date(2026, 3, 10))
    person.refresh_from_db()
    assert person.date_of_death == dt.date(2026, 3, 10)
    assert len(household_snapshot(h, as_of=dt.date(2026, 3, 10)).members) == 2
    assert len(household_snapshot(h, as_of=dt.date(2026, 3, 11)).members) == 1
    assert AuditEvent.objects.filter(object_type="registry.person", object_id=str(person.pk), action="update").exists()
    with pytest.raises(NotFoundOrForbidden):
        services.person_record_death(actor=people.colleague, person=person, date_of_death=dt.date(2026, 3, 10))
