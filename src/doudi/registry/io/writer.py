"""Apply a validated import plan. Runs inside ``importer.registry_import``'s transaction: any exception rolls back
every write of the import."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, diff, masked_diff, raw_snapshot, snapshot
from doudi.core.ids import parse_resident_id
from doudi.registry import account_changes
from doudi.registry.choices import AccountChangeSource, EvidenceSource
from doudi.registry.edits import Basis
from doudi.registry.io.plan import ONE_DAY, PERSON_FIELD, Group, MemberPlan
from doudi.registry.models import Household, Membership, Person
from doudi.registry.services import next_household_number

if TYPE_CHECKING:
    from doudi.accounts.models import User


def chunks(items, size: int = 500):
    """Lists of at most ``size`` items, so an ``IN (...)`` stays well under the database's parameter limit."""
    items = list(items)
    for i in range(0, len(items), size):
        yield items[i : i + size]


class Writer:
    """Applies a validated plan. Runs inside ``registry_import``'s transaction; any exception rolls it all back."""

    def __init__(self, actor: User, ledger_date: dt.date, counts: Counter):
        self.actor = actor
        self.ledger = ledger_date
        self.counts = counts
        self.reason = _("台账导入")

    def audit(self, action: str, obj, region_code: str, changes: dict, object_repr: str | None = None) -> None:
        audit_record(
            actor=self.actor,
            action=action,
            obj=obj,
            object_repr=object_repr,
            region_code=region_code,
            changes=changes,
            reason=self.reason,
        )

    def run(self, groups: list[Group]) -> list[int]:
        existing = [g.household.pk for g in groups if g.household]
        for chunk in chunks(existing):
            list(Household.objects.select_for_update().filter(pk__in=chunk).values_list("pk", flat=True))
        touched = []
        for group in groups:
            household = self._household(group)
            touched.append(household.pk)
            for plan in group.members:
                self._member(household, plan)
        return touched

    def _household(self, group: Group) -> Household:
        fields = dict(group.fields)
        household = group.household
        if household is None:
            region = group.region
            household = Household(
                number=next_household_number(region),
                region=region,
                area_type=fields.pop("area_type", None) or region.area_type,
                **fields,
            )
            household.save()
            self.audit(AuditAction.CREATE, household, region.code, snapshot(household))
            self.counts["households_created"] += 1
            return household
        account = {k: fields.pop(k) for k in account_changes.FIELDS if k in fields}
        if account:
            values = {k: account.get(k, getattr(household, k)) for k in account_changes.FIELDS}
            proposed = account_changes.propose_locked(
                actor=self.actor, household=household, values=values, source=AccountChangeSource.IMPORT,
                basis=Basis(effective_on=self.ledger, document=self.reason))
            if proposed is not None:
                self.counts["accounts_proposed"] += 1
        before = raw_snapshot(household)
        if group.region is not None and group.region.pk != household.region_id:
            household.region = group.region
        for key, value in fields.items():
            setattr(household, key, value)
        changes = masked_diff(before, after=raw_snapshot(household))
        changes.pop("updated_at", None)
        if changes:
            household.save()
            self.audit(AuditAction.UPDATE, household, household.region_id, changes)
            self.counts["households_updated"] += 1
        return household

    def _member(self, household: Household, plan: MemberPlan) -> None:
        region = household.region_id
        person = self._person(plan, region)
        self._membership(household, person, plan, region)
        self._evidence(person, plan, region)

    def _person(self, plan: MemberPlan, region: str) -> Person:
        """The row's person: created from the ID number when new, else updated with the changed fields."""
        row, person = plan.row, plan.person
        if person is None:
            rid = parse_resident_id(row.id_number)
            person = Person.objects.create(
                id_number=rid.number,
                name=row.name,
                sex=rid.sex,
                birth_date=rid.birth_date,
                ethnicity=row.person.get("ethnicity", ""),
                phone=row.person.get("mobile", ""),
            )
            self.audit(AuditAction.CREATE, person, region, snapshot(person))
            self.counts["persons_created"] += 1
        elif plan.person_changes:
            before = snapshot(person)
            for key, value in plan.person_changes.items():
                setattr(person, PERSON_FIELD[key], value)
            person.save()
            self.audit(AuditAction.UPDATE, person, region, diff(before, after=snapshot(person)))
            self.counts["persons_updated"] += 1
        return person

    def _membership(self, household: Household, person: Person, plan: MemberPlan, region: str) -> None:
        """End a membership elsewhere, correct the relationship, or start a membership here, as planned."""
        row = plan.row
        if plan.end is not None:
            old = plan.end
            before = snapshot(old)
            old.valid_to = plan.start - ONE_DAY
            old.save(update_fields=["valid_to"])
            self.audit(AuditAction.UPDATE, old, region, diff(before, after=snapshot(old)))
            self.counts["memberships_ended"] += 1
        if plan.fix_relationship is not None:
            m = plan.fix_relationship
            before = snapshot(m)
            m.relationship = row.relationship
            m.save(update_fields=["relationship"])
            self.audit(AuditAction.UPDATE, m, region, diff(before, after=snapshot(m)))
            self.counts["memberships_updated"] += 1
        if plan.start is not None:
            m = Membership.objects.create(
                household=household, person=person, relationship=row.relationship, valid_from=plan.start
            )
            self.audit(AuditAction.CREATE, m, region, snapshot(m))
            self.counts["memberships_created"] += 1

    def _evidence(self, person: Person, plan: MemberPlan, region: str) -> None:
        """Changed facts: the old one ends the day before the ledger date, the new one starts on it."""
        for evidence in plan.evidence_end:
            before = snapshot(evidence)
            evidence.valid_to = self.ledger - ONE_DAY
            evidence.save(update_fields=["valid_to"])
            label = f"{person.name} · {evidence._meta.verbose_name}"
            self.audit(AuditAction.UPDATE, evidence, region, diff(before, after=snapshot(evidence)), label)
            self.counts["evidence_ended"] += 1
        for model, fields in plan.evidence_new:
            evidence = model(
                person=person,
                valid_from=self.ledger,
                source=EvidenceSource.IMPORTED,
                recorded_by=self.actor,
                **fields,
            )
            evidence.save()
            label = f"{person.name} · {model._meta.verbose_name}"
            self.audit(AuditAction.CREATE, evidence, region, snapshot(evidence), label)
            self.counts["evidence_created"] += 1
