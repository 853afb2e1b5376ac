"""收款机构: institutions a payroll pays directly (a hospital settling medical aid, 一站式结算). Registered by the
paying office in its own area, audited; the account is copied onto each settlement line when the payroll is made.

Money is paid into the institution's account, so the account takes two people (issue 9), exactly like a household's
payment account and through the same engine (``registry.account_changes``): registering an institution records its
name and *proposes* its account; a second person with change rights in the area confirms it; only then does the
institution carry the account and may a settlement payroll pay it (``medical.payroll`` refuses it before). A later
change of bank, account or holder is proposed and confirmed the same way; until then the confirmed account is paid.
The proposer cannot confirm, read-only roles and other areas cannot reach the institution."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.payments.errors import Code
from doudi.payments.models import PayeeAccountChange, PayeeInstitution
from doudi.regions.models import Region
from doudi.registry.account_changes import owner_confirm_locked, owner_propose_locked, owner_reject_locked
from doudi.registry.edits import Basis, check_basis

if TYPE_CHECKING:
    from doudi.accounts.models import User


class PayeeError(DomainError):
    code = "payee_error"


def _account_values(*, name: str, bank_name: str, bank_account: str, account_holder: str) -> dict[str, str]:
    """The complete account as it will be paid, checked: bank, 8–40 digits, holder (the institution's name when
    left empty)."""
    bank_account = bank_account.replace(" ", "").strip()
    if not bank_account.isdigit() or not 8 <= len(bank_account) <= 40:
        raise PayeeError(_("银行账号须为8至40位数字"), code=Code.BAD_ACCOUNT, field="bank_account")
    if not bank_name.strip():
        raise PayeeError(_("请填写开户行"), code=Code.BANK_REQUIRED, field="bank_name")
    return {"bank_name": bank_name.strip()[:100], "bank_account": bank_account,
            "account_holder": (account_holder.strip() or name)[:100]}


def _registration_basis(document: str) -> Basis:
    return Basis(effective_on=timezone.localdate(), document=document.strip() or _("登记收款机构"))


@transaction.atomic
def institution_create(*, actor: User, region_code: str, name: str, bank_name: str, bank_account: str,
                       account_holder: str = "", document: str = "") -> PayeeInstitution:
    """Register an institution and propose its account; nothing is paid to it before a second person confirms."""
    region = Region.objects.filter(pk=region_code).first()
    if region is None or not allows(actor, Action.CHANGE, region.code) or region.level not in ("county", "township"):
        raise NotFoundOrForbidden(_("未找到该区划，或不在您的辖区内（收款机构在县或乡镇登记）"))
    name = name.strip()[:100]
    if not name:
        raise PayeeError(_("请填写机构名称"), code=Code.NAME_REQUIRED, field="name")
    values = _account_values(name=name, bank_name=bank_name, bank_account=bank_account, account_holder=account_holder)
    try:
        with transaction.atomic():
            inst = PayeeInstitution.objects.create(region=region, name=name, created_by=actor)
    except IntegrityError:
        raise PayeeError(_("该辖区已登记同名机构"), code=Code.DUPLICATE, field="name") from None
    audit_record(actor=actor, action=AuditAction.CREATE, obj=inst, region_code=region.code, changes={"name": name})
    inst = PayeeInstitution.objects.select_for_update().get(pk=inst.pk)
    owner_propose_locked(actor=actor, owner=inst, values=values, basis=_registration_basis(document))
    return inst


def _institution_for_change(actor: User, institution: PayeeInstitution | int) -> PayeeInstitution:
    """Lock the institution and check it is in the actor's scope for changes (read-only roles, other areas: not
    found)."""
    pk = getattr(institution, "pk", institution)
    found = PayeeInstitution.objects.restrict(actor, Action.CHANGE).select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该收款机构，或不在您的辖区内"))
    return found


@transaction.atomic
def institution_account_propose(*, actor: User, institution: PayeeInstitution | int, bank_name: str,
                                bank_account: str, account_holder: str, basis: Basis) -> PayeeAccountChange:
    """Propose a new account (bank, number, holder) for the institution; it is paid once another person confirms."""
    check_basis(basis)
    inst = _institution_for_change(actor, institution)
    values = _account_values(name=inst.name, bank_name=bank_name, bank_account=bank_account,
                             account_holder=account_holder)
    proposed = owner_propose_locked(actor=actor, owner=inst, values=values, basis=basis)
    if proposed is None:
        raise PayeeError(_("与现有账户或待复核的变更相同，没有需要更改的内容"), code=Code.NOTHING_CHANGED)
    return proposed


@transaction.atomic
def institution_account_confirm(*, actor: User, institution: PayeeInstitution | int, change_id: int,
                                note: str = "") -> PayeeInstitution:
    """A second person confirms the proposed account: the institution carries it and the next settlement pays it."""
    inst = _institution_for_change(actor, institution)
    owner_confirm_locked(actor=actor, owner=inst, change_id=change_id, note=note)
    inst.account_confirmed_by, inst.account_confirmed_at = actor, timezone.now()
    inst.save(update_fields=["account_confirmed_by", "account_confirmed_at"])
    return inst


@transaction.atomic
def institution_account_reject(*, actor: User, institution: PayeeInstitution | int, change_id: int,
                               note: str) -> PayeeAccountChange:
    """Returned by a second person (with a reason), or withdrawn by the proposer; the confirmed account stays."""
    inst = _institution_for_change(actor, institution)
    return owner_reject_locked(actor=actor, owner=inst, change_id=change_id, note=note)


def institution_for(*, actor: User, name: str) -> PayeeInstitution | None:
    """The registered institution of that name the actor may see (the most local registration first)."""
    return (PayeeInstitution.objects.restrict(actor, Action.VIEW).filter(name=name.strip())
            .order_by("-region_id").first())
