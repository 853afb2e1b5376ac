"""Household membership as jurisdiction scoping reads it (``accounts.scoping.Households``), installed by
``RegistryConfig.ready``: evidence is in scope through the households its person belongs to, and an applicant sees
their own household's rows."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from doudi.accounts.scoping import region_q
from doudi.registry.models import Membership


class MembershipHouseholds:
    # Unrestricted on purpose: these are subqueries inside ``restrict`` itself, over memberships at any date.
    def of_person(self, person_id: int) -> QuerySet:
        return Membership.objects.filter(person_id=person_id).values("household_id")

    def members_of(self, households: QuerySet) -> QuerySet:
        return Membership.objects.filter(household_id__in=households).values("person_id")

    def members_in(self, prefixes: list[str]) -> QuerySet:
        return Membership.objects.filter(region_q("household__region__code", prefixes)).values("person_id")

    def member_when(self, prefixes: list[str], person_path: str, date_path: str):
        # Not yet left when the fact began: no end, or an end on or after its start. (A fact that began before the
        # person joined and still holds is the new area's too: their income follows them.)
        return Exists(Membership.objects.filter(
            region_q("household__region__code", prefixes), person_id=OuterRef(person_path),
        ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef(date_path))))
