"""Two-person changes of an account money is paid into (issue 9: maker-checker wherever money changes).

One engine for every owner of such an account: a household's payment account (发放账户, the household edit screen or
a registry import) and a payee institution's account (收款账户, ``payments.payees``). One person proposes the
complete new account, a second person confirms it, and only then does the owner carry it — so the payroll, which
reads the account from the owner, always pays a confirmed account. The proposer cannot confirm their own proposal.
A newer proposal replaces an open one (a corrected re-import). Every step is audited, account numbers masked.

An owner is a model with ``bank_name``, ``bank_account`` and ``account_holder`` and a change record
(``registry.models.AccountChangeRecord``) related to it as ``account_changes``. Callers lock the owner and check it
is in the actor's scope for changes before calling the ``*_locked`` functions, inside their transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, masked_diff, raw_snapshot
from doudi.registry import services
from doudi.registry.choices import AccountChangeSource, AccountChangeStatus
from doudi.registry.edits import AccountChange, Basis, check_basis
from doudi.registry.errors import Code
from doudi.registry.models import AccountChangeRecord, BankAccountChange, Household
from doudi.registry.services import RegistryError

if TYPE_CHECKING:
    from doudi.accounts.models import User

FIELDS = ("bank_name", "bank_account", "account_holder")


def _region_code(owner: models.Model) -> str:
    return owner.region_id


def current_values(owner: models.Model) -> dict[str, str]:
    return {k: getattr(owner, k) for k in FIELDS}


def owner_propose_locked(*, actor: User, owner: models.Model, values: dict[str, str], basis: Basis,
                         extra: dict[str, Any] | None = None) -> AccountChangeRecord | None:
    """Inside a transaction, with ``owner`` locked and in scope: record ``values`` (the complete new account) as
    pending. None when it equals the confirmed account or the open proposal (a re-import changes nothing)."""
    if values == current_values(owner):
        return None
    open_ = owner.account_changes.select_for_update().filter(status=AccountChangeStatus.PENDING).first()
    if open_ is not None:
        if {k: getattr(open_, k) for k in FIELDS} == values:
            return None
        open_.status, open_.decided_at = AccountChangeStatus.SUPERSEDED, timezone.now()
        open_.save(update_fields=["status", "decided_at"])
        audit_record(actor=actor, action=AuditAction.TRANSITION, obj=open_, region_code=_region_code(owner),
                     changes={"status": [AccountChangeStatus.PENDING, AccountChangeStatus.SUPERSEDED]},
                     reason=_("被新的账户变更取代"))
    change = owner.account_changes.create(effective_on=basis.effective_on, document=basis.document.strip()[:200],
                                          proposed_by=actor, **(extra or {}), **values)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=change, region_code=_region_code(owner),
                 changes=masked_diff(raw_snapshot(owner, fields=list(FIELDS)), after=values),
                 reason=_("提交发放账户变更，待复核；%(basis)s") % {"basis": basis.reason()})
    return change


def _open(owner: models.Model, change_id: int) -> AccountChangeRecord:
    change = (owner.account_changes.select_for_update().select_related("proposed_by").filter(pk=change_id).first())
    if change is None:
        raise RegistryError(_("未找到该账户变更"), code=Code.NOT_FOUND)
    if change.status != AccountChangeStatus.PENDING:
        raise RegistryError(_("该账户变更已处理"), code=Code.NOT_PENDING)
    return change


def owner_confirm_locked(*, actor: User, owner: models.Model, change_id: int, note: str = "") -> AccountChangeRecord:
    """The second person confirms: ``owner`` now carries the new account (the next payroll pays it). ``owner`` is
    locked and in the actor's scope for changes."""
    change = _open(owner, change_id)
    if change.proposed_by_id == actor.pk:
        raise RegistryError(_("发放账户变更须由另一名工作人员复核确认，提交人不能确认自己提交的变更"),
                            code=Code.SAME_PERSON)
    before = raw_snapshot(owner, fields=list(FIELDS))
    for key in FIELDS:
        setattr(owner, key, getattr(change, key))
    owner.save(update_fields=[*FIELDS, *(["updated_at"] if hasattr(owner, "updated_at") else [])])
    change.status, change.decided_by, change.decided_at, change.note = (
        AccountChangeStatus.CONFIRMED, actor, timezone.now(), note.strip()[:500])
    change.save(update_fields=["status", "decided_by", "decided_at", "note"])
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=owner, region_code=_region_code(owner),
        changes=masked_diff(before, after=raw_snapshot(owner, fields=list(FIELDS))),
        reason=_("发放账户变更经复核生效（提交：%(maker)s，复核：%(checker)s）；自 %(day)s 起；依据：%(doc)s") % {
            "maker": change.proposed_by, "checker": actor, "day": change.effective_on.isoformat(),
            "doc": change.document},
    )
    return change


def owner_reject_locked(*, actor: User, owner: models.Model, change_id: int, note: str) -> AccountChangeRecord:
    """Returned by a second person, or withdrawn by the proposer; ``owner`` keeps its account."""
    change = _open(owner, change_id)
    if not note.strip() and change.proposed_by_id != actor.pk:
        raise RegistryError(_("退回须填写理由"), code=Code.NOTE_REQUIRED, field="note")
    change.status, change.decided_by, change.decided_at, change.note = (
        AccountChangeStatus.REJECTED, actor, timezone.now(), note.strip()[:500])
    change.save(update_fields=["status", "decided_by", "decided_at", "note"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=change, region_code=_region_code(owner),
                 changes={"status": [AccountChangeStatus.PENDING, AccountChangeStatus.REJECTED]},
                 reason=note.strip() or _("提交人撤回"))
    return change


# --- a household's payment account ---------------------------------------------------------------------------------


def propose_locked(*, actor: User, household: Household, values: dict[str, str], basis: Basis,
                   source: str) -> BankAccountChange | None:
    """Inside a transaction, with ``household`` locked and in scope (the registry import)."""
    return owner_propose_locked(actor=actor, owner=household, values=values, basis=basis, extra={"source": source})


@transaction.atomic
def account_change_propose(*, actor: User, household: Household, change: AccountChange, basis: Basis,
                           source: str = AccountChangeSource.SCREEN) -> BankAccountChange:
    """Propose a new payment account for ``household``; it takes effect when another person confirms it."""
    check_basis(basis)
    household = services._household_for_change(actor, household)
    values = {k: str(getattr(change, k)).strip() for k in FIELDS}
    if values["bank_account"] and not values["account_holder"]:
        raise RegistryError(_("请填写账户户名"), code=Code.HOLDER_REQUIRED, field="account_holder")
    proposed = propose_locked(actor=actor, household=household, values=values, basis=basis, source=source)
    if proposed is None:
        raise RegistryError(_("与现有账户或待复核的变更相同，没有需要更改的内容"), code=Code.NOTHING_CHANGED)
    return proposed


@transaction.atomic
def account_change_confirm(*, actor: User, household: Household, change_id: int, note: str = "") -> Household:
    """The second person confirms: the household now carries the new account (the next payroll pays it)."""
    household = services._household_for_change(actor, household)
    owner_confirm_locked(actor=actor, owner=household, change_id=change_id, note=note)
    return household


@transaction.atomic
def account_change_reject(*, actor: User, household: Household, change_id: int, note: str) -> BankAccountChange:
    """Returned by a second person, or withdrawn by the proposer; the household keeps its account."""
    household = services._household_for_change(actor, household)
    return owner_reject_locked(actor=actor, owner=household, change_id=change_id, note=note)
