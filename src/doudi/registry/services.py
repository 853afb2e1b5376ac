"""Writes to the registry. Each service runs in one transaction with its audit row, and refuses to act outside the
actor's jurisdiction (the object must be in ``restrict(actor, "change")`` before and after the change).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, diff, masked_diff, raw_snapshot, snapshot
from doudi.core import validators
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.core.ids import parse_resident_id
from doudi.regions.choices import Level
from doudi.regions.models import Region
from doudi.registry.choices import Relationship
from doudi.registry.errors import Code
from doudi.registry.models import EVIDENCE_MODELS, Evidence, Household, Membership, Person

if TYPE_CHECKING:
    from doudi.accounts.models import User


class RegistryError(DomainError):
    code = "registry_error"


def check_date(value: dt.date | None, *, label: str, allow_future: bool = True) -> None:
    """The shared date range (core.validators): from 1900 to a year ahead, or to today for events."""
    if value is None:
        return
    try:
        validators.check_date(value, label=label, allow_future=allow_future)
    except validators.InvalidInput as exc:
        raise RegistryError(exc.message, code=exc.code) from None


def check_period(valid_from: dt.date, *, valid_to: dt.date | None) -> None:
    check_date(valid_from, label=_("起始日期"))
    check_date(valid_to, label=_("终止日期"))
    if valid_to is not None and valid_to < valid_from:
        raise RegistryError(
            _("终止日期 %(to)s 早于起始日期 %(frm)s") % {"to": valid_to, "frm": valid_from}, code=Code.BAD_PERIOD
        )


def _household_for_change(actor: User, household: Household) -> Household:
    """Lock the household row and check it is in the actor's scope for changes."""
    locked = Household.objects.restrict(actor, Action.CHANGE).select_for_update().filter(pk=household.pk).first()
    if locked is None:
        raise NotFoundOrForbidden(_("未找到该家庭，或不在您的辖区内"))
    return locked


def _person_for_change(actor: User, person: Person) -> Person:
    found = Person.objects.restrict(actor, Action.CHANGE).filter(pk=person.pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该人员，或不在您的辖区内"))
    return found


def next_household_number(region: Region) -> str:
    """户编号: the village code plus a 6-digit sequence within the village."""
    last = (
        Household.objects.filter(number__startswith=region.code).order_by("-number").values_list("number", flat=True)
    ).first()
    seq = int(last[12:]) + 1 if last else 1
    return f"{region.code}{seq:06d}"


@transaction.atomic
def household_create(*, actor: User, region: Region, address: str, area_type: str | None = None,
                     **fields: Any) -> Household:
    if not allows(actor, Action.CHANGE, region.code):
        raise NotFoundOrForbidden(_("该区划不在您的辖区内"))
    if region.level != Level.VILLAGE:
        raise RegistryError(_("家庭必须登记在村（社区）一级"), code=Code.REGION_NOT_VILLAGE)
    if not address.strip():
        raise RegistryError(_("住址不能为空"), code=Code.ADDRESS_REQUIRED, field="address")
    household = Household(
        number=fields.pop("number", None) or next_household_number(region),
        region=region,
        address=address.strip(),
        area_type=area_type or region.area_type,
        **fields,
    )
    household.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=household, region_code=region.code, changes=snapshot(household)
    )
    return household


@transaction.atomic
def household_update(*, actor: User, household: Household, **fields: Any) -> Household:
    household = _household_for_change(actor, household)
    before = raw_snapshot(household)
    new_region = fields.get("region")
    if new_region is not None and not allows(actor, Action.CHANGE, new_region.code):
        raise NotFoundOrForbidden(_("该区划不在您的辖区内"))
    for key, value in fields.items():
        setattr(household, key, value)
    household.save()
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=household,
        region_code=household.region_id,
        changes=masked_diff(before, after=raw_snapshot(household)),
    )
    return household


def _person_fields(id_number: str, name: str) -> dict[str, Any]:
    rid = parse_resident_id(id_number)
    if not name.strip():
        raise RegistryError(_("姓名不能为空"), code=Code.NAME_REQUIRED, field="name")
    return {"id_number": rid.number, "name": name.strip(), "sex": rid.sex, "birth_date": rid.birth_date}


@transaction.atomic
def member_add(
    *,
    actor: User,
    household: Household,
    id_number: str,
    name: str,
    relationship: str,
    valid_from: dt.date,
    lives_together: bool = True,
    **person_fields: Any,
) -> Membership:
    """Add a person (new, or already registered elsewhere) to a household from ``valid_from``.

    A person can be a current member of only one household: adding them here while they are still a member of
    another household is refused, so a person is never counted twice.
    """
    household = _household_for_change(actor, household)
    check_period(valid_from, valid_to=None)
    if relationship not in Relationship.values:
        raise RegistryError(_("与户主关系“%(value)s”无效") % {"value": relationship}, code=Code.BAD_RELATIONSHIP)
    fields = _person_fields(id_number, name)
    person = Person.objects.filter(id_number=fields["id_number"]).first()
    if person is None:
        person = Person.objects.create(**fields, **person_fields)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=person,
            region_code=household.region_id,
            changes=snapshot(person),
        )
    elif person.name != fields["name"]:
        raise RegistryError(_("身份证号码已登记在另一姓名下，请核对姓名"), code=Code.ID_NAME_MISMATCH, field="name")
    current = Membership.objects.filter(person=person).as_of(valid_from).select_related("household").first()
    if current is not None:
        raise RegistryError(
            _("该人员已是家庭 %(number)s 的成员，请先办理迁出") % {"number": current.household.number},
            code=Code.DUPLICATE_MEMBER,
        )
    if (
        relationship == Relationship.HEAD
        and Membership.objects.filter(household=household, relationship=Relationship.HEAD).as_of(valid_from).exists()
    ):
        raise RegistryError(_("该家庭已有户主"), code=Code.DUPLICATE_HEAD)
    membership = Membership.objects.create(
        household=household,
        person=person,
        relationship=relationship,
        valid_from=valid_from,
        lives_together=lives_together,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=membership,
        region_code=household.region_id,
        changes=snapshot(membership),
    )
    return membership


def _close_period(*, actor: User, row, valid_to: dt.date, region_code: str, reason: str,
                  object_repr: str | None = None):
    """End a dated row (membership or evidence) at ``valid_to`` with its audit row. Rows are ended, never deleted,
    so every past state stays reconstructible."""
    check_period(row.valid_from, valid_to=valid_to)
    before = snapshot(row)
    row.valid_to = valid_to
    row.save(update_fields=["valid_to"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=row,
        object_repr=object_repr,
        region_code=region_code,
        changes=diff(before, after=snapshot(row)),
        reason=reason,
    )
    return row


@transaction.atomic
def member_end(*, actor: User, membership: Membership, valid_to: dt.date, reason: str = "") -> Membership:
    _household_for_change(actor, membership.household)
    return _close_period(
        actor=actor, row=membership, valid_to=valid_to, region_code=membership.household.region_id, reason=reason
    )


def evidence_model(evidence_type: str) -> type[Evidence]:
    """The evidence model for a type name (its model name: income, asset, disability, workability …)."""
    for model in EVIDENCE_MODELS:
        if model._meta.model_name == evidence_type:
            return model
    raise RegistryError(_("未知的证据类型：%(kind)s") % {"kind": evidence_type}, code=Code.BAD_EVIDENCE_KIND)


def _check_amounts(fields: dict[str, Any]) -> None:
    for key in ("monthly_fen", "value_fen"):
        if key in fields:
            value = fields[key]
            if not isinstance(value, int) or isinstance(value, bool):
                raise RegistryError(_("金额必须是整数（分）"), code=Code.BAD_AMOUNT, field=key)
            if value < 0:
                raise RegistryError(_("金额不能为负数"), code=Code.NEGATIVE_AMOUNT, field=key)


def _person_region(person: Person, day: dt.date) -> str:
    """The village the person lived in on ``day`` (else their latest household's): where their audit rows go."""
    regions = Membership.objects.filter(person=person).values_list("household__region", flat=True)
    return regions.as_of(day).first() or regions.order_by("-valid_from").first() or ""


@transaction.atomic
def evidence_add(
    *,
    actor: User,
    person: Person,
    evidence_type: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    **fields: Any,
) -> Evidence:
    """Record a dated fact. ``evidence_type`` is the evidence model name (income, asset, disability, …);
    ``fields`` are that model's fields (e.g. ``kind="wage", monthly_fen=180000`` for an income)."""
    person = _person_for_change(actor, person)
    model = evidence_model(evidence_type)
    check_period(valid_from, valid_to=valid_to)
    _check_amounts(fields)
    evidence = model(person=person, valid_from=valid_from, valid_to=valid_to, recorded_by=actor, **fields)
    evidence.full_clean(exclude=["person", "recorded_by"])
    evidence.save()
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=evidence,
        object_repr=f"{person.name} · {model._meta.verbose_name}",
        region_code=_person_region(person, valid_from),
        changes=snapshot(evidence),
    )
    return evidence


@transaction.atomic
def evidence_end(*, actor: User, evidence: Evidence, valid_to: dt.date, reason: str = "") -> Evidence:
    """Close a fact at ``valid_to``. Facts are ended, not deleted, so past states stay reconstructible."""
    _person_for_change(actor, evidence.person)
    return _close_period(
        actor=actor,
        row=evidence,
        valid_to=valid_to,
        region_code=_person_region(evidence.person, evidence.valid_from),
        reason=reason,
        object_repr=f"{evidence.person.name} · {evidence._meta.verbose_name}",
    )


@transaction.atomic
def person_record_death(*, actor: User, person: Person, date_of_death: dt.date, reason: str = "") -> Person:
    """Record a death (from the civil registry, a funeral record or a report). Memberships end that day, so the
    household counts one member fewer from the next day; benefits react through the payroll and the
    3-month household check (S5 §1(3))."""
    person = _person_for_change(actor, person)
    check_date(date_of_death, label=_("死亡日期"), allow_future=False)
    if date_of_death < person.birth_date:
        raise RegistryError(_("死亡日期早于出生日期"), code=Code.DEATH_BEFORE_BIRTH)
    before = snapshot(person)
    person.date_of_death = date_of_death
    person.save(update_fields=["date_of_death", "updated_at"])
    region = _person_region(person, date_of_death)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=person,
        region_code=region,
        changes=diff(before, after=snapshot(person)),
        reason=reason,
    )
    households = []
    for membership in Membership.objects.filter(person=person).as_of(date_of_death).select_related("household"):
        households.append(membership.household_id)
        _close_period(
            actor=actor,
            row=membership,
            valid_to=date_of_death,
            region_code=membership.household.region_id,
            reason=_("成员死亡"),
        )
    for hook in _death_hooks:  # e.g. dynamic management opens the household's review at once (reviews.deaths)
        hook(actor=actor, person=person, date_of_death=date_of_death, household_ids=households)
    return person


_death_hooks: list[Callable[..., Any]] = []


def on_death(hook: Callable[..., Any]) -> None:
    """A higher app reacts to a recorded death in the same transaction (handed down at start-up, like scoping's
    households): ``hook(actor=, person=, date_of_death=, household_ids=)``."""
    if hook not in _death_hooks:
        _death_hooks.append(hook)
