"""Corrections of a household's record (户籍信息变更): address and phone, members joining and leaving (the payment
account is proposed and confirmed by a second person in ``account_changes``). Each is dated and names its evidence
(依据: 户口簿, 村委会证明, 银行卡复印件 …), and each writes the before/after into the audit log in the same transaction.
Scope: the household must be in the actor's area for changes (``services._household_for_change`` locks it and
fails closed)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, masked_diff, raw_snapshot
from doudi.registry import services
from doudi.registry.errors import Code
from doudi.registry.models import Household, Membership
from doudi.registry.services import RegistryError

if TYPE_CHECKING:
    from doudi.accounts.models import User


@dataclass(frozen=True)
class Basis:
    """When the change took effect and what shows it (kept with the audit row)."""

    effective_on: dt.date
    document: str

    def reason(self) -> str:
        return _("自 %(day)s 起；依据：%(doc)s") % {"day": self.effective_on.isoformat(), "doc": self.document}


@dataclass(frozen=True)
class ContactChange:
    address: str
    phone: str


@dataclass(frozen=True)
class AccountChange:
    bank_name: str
    bank_account: str
    account_holder: str


def check_basis(basis: Basis) -> None:
    services.check_date(basis.effective_on, label=_("变更日期"), allow_future=False)
    if not basis.document.strip():
        raise RegistryError(_("请填写变更依据（如户口簿、村委会证明、银行卡）"), code=Code.DOCUMENT_REQUIRED,
                            field="document")


@transaction.atomic
def household_correct(*, actor: User, household: Household, change: ContactChange, basis: Basis) -> Household:
    """Correct the address and phone of a household. Refused when nothing changes. (The payment account changes by
    two people: ``registry.account_changes``.)"""
    check_basis(basis)
    household = services._household_for_change(actor, household)
    values = {f.name: str(getattr(change, f.name)).strip() for f in fields(change)}
    if not isinstance(change, ContactChange):
        raise TypeError("the payment account changes through registry.account_changes")
    if not values["address"]:
        raise RegistryError(_("住址不能为空"), code=Code.ADDRESS_REQUIRED, field="address")
    before = raw_snapshot(household, fields=list(values))
    for key, value in values.items():
        setattr(household, key, value)
    changes = masked_diff(before, after=raw_snapshot(household, fields=list(values)))
    if not changes:
        raise RegistryError(_("与现有登记相同，没有需要更改的内容"), code=Code.NOTHING_CHANGED)
    household.save(update_fields=[*changes, "updated_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=household, region_code=household.region_id,
                 changes=changes, reason=basis.reason())
    return household


def member_join(*, actor: User, household: Household, id_number: str, name: str, relationship: str,
                basis: Basis) -> Membership:
    """A person joins the household from ``basis.effective_on`` (birth, marriage, moving in)."""
    check_basis(basis)
    with transaction.atomic():
        membership = services.member_add(actor=actor, household=household, id_number=id_number, name=name,
                                         relationship=relationship, valid_from=basis.effective_on)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=household, region_code=household.region_id,
                     changes={"member_joined": [None, membership.person.name]}, reason=basis.reason())
    return membership


@transaction.atomic
def member_leave(*, actor: User, household: Household, membership_id: int, why: str, basis: Basis) -> Membership:
    """A member leaves the household on ``basis.effective_on`` (moving out, separate household, death): the
    membership is ended the day before, never deleted, so the past stays reconstructible."""
    check_basis(basis)
    # Scope and lock first, then read the membership: two clerks ending the same membership one after the other
    # see it ended, never overwrite each other's date.
    household = services._household_for_change(actor, household)
    membership = (Membership.objects.filter(household=household, pk=membership_id, valid_to__isnull=True)
                  .select_related("person", "household").first())
    if membership is None:
        raise RegistryError(_("请选择本户的现有成员"), code=Code.NOT_A_MEMBER, field="member")
    last_day = basis.effective_on - dt.timedelta(days=1)
    if last_day < membership.valid_from:
        raise RegistryError(_("离开日期不能早于加入本户的日期"), code=Code.BAD_PERIOD, field="effective_on")
    reason = f"{why}；{basis.reason()}"
    ended = services.member_end(actor=actor, membership=membership, valid_to=last_day, reason=reason)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=household, region_code=household.region_id,
                 changes={"member_left": [membership.person.name, None]}, reason=reason)
    return ended
