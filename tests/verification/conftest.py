from __future__ import annotations

import datetime as dt

import pytest

from doudi.registry.models import Household, Membership, Person, SupportObligation
from doudi.verification import services
from doudi.verification.loader import department_file_load
from doudi.verification.sources import reset_sources
from tests import factories as f

SIGNED = dt.date(2025, 1, 2)


@pytest.fixture(autouse=True)
def _exchange_sources():
    reset_sources()
    yield
    reset_sources()


@pytest.fixture
def home(tree):
    """A two-member household in township A."""
    return f.household(tree.village_a, members=2)


def members(household: Household) -> list[Person]:
    return [m.person for m in Membership.objects.filter(household=household).select_related("person").order_by("id")]


def authorise_all(actor, household: Household, persons=None) -> None:
    for p in persons if persons is not None else members(household):
        services.authorisation_record(
            actor=actor,
            household=household,
            person=p,
            method="e_signature",
            signed_at=SIGNED,
            signature_ref=f"ES-{p.pk}",
        )


def supporter_of(person: Person) -> Person:
    birth = dt.date(1990, 6, 1)
    sup = Person.objects.create(id_number=f.make_id(birth, "F"), name="赡养人女儿", sex="F", birth_date=birth)
    SupportObligation.objects.create(person=person, supporter=sup, relationship="child", valid_from=dt.date(2020, 1, 1))
    return sup


def csv_bytes(rows: list[list[str]]) -> bytes:
    header = "身份证号码,姓名,核对项目,细类,月收入（元）,价值（元）,数量,起始日期,终止日期,说明"
    return ("\n".join([header, *(",".join(r) for r in rows)]) + "\n").encode("utf-8")


def load(department: str, rows: list[list[str]], name: str = "data.csv"):
    return department_file_load(actor=None, department=department, filename=name, data=csv_bytes(rows))
