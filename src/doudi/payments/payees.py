"""收款机构: institutions a payroll pays directly (a hospital settling medical aid, 一站式结算). Registered by the
paying office in its own area, audited; the account is copied onto each settlement line when the payroll is made."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.payments.errors import Code
from doudi.payments.models import PayeeInstitution
from doudi.regions.models import Region


class PayeeError(DomainError):
    code = "payee_error"


def institution_create(*, actor, region_code: str, name: str, bank_name: str, bank_account: str,
                       account_holder: str = "") -> PayeeInstitution:
    region = Region.objects.filter(pk=region_code).first()
    if region is None or not allows(actor, Action.CHANGE, region.code) or region.level not in ("county", "township"):
        raise NotFoundOrForbidden(_("未找到该区划，或不在您的辖区内（收款机构在县或乡镇登记）"))
    name, bank_account = name.strip()[:100], bank_account.replace(" ", "").strip()
    if not name:
        raise PayeeError(_("请填写机构名称"), code=Code.NAME_REQUIRED, field="name")
    if not bank_account.isdigit() or not 8 <= len(bank_account) <= 40:
        raise PayeeError(_("银行账号须为8至40位数字"), code=Code.BAD_ACCOUNT, field="bank_account")
    if not bank_name.strip():
        raise PayeeError(_("请填写开户行"), code=Code.BANK_REQUIRED, field="bank_name")
    try:
        with transaction.atomic():
            inst = PayeeInstitution.objects.create(region=region, name=name, bank_name=bank_name.strip()[:100],
                                                   bank_account=bank_account,
                                                   account_holder=(account_holder.strip() or name)[:100],
                                                   created_by=actor)
    except IntegrityError:
        raise PayeeError(_("该辖区已登记同名机构"), code=Code.DUPLICATE, field="name") from None
    audit_record(actor=actor, action=AuditAction.CREATE, obj=inst, region_code=region.code,
                 changes={"name": name, "bank_name": inst.bank_name})
    return inst


def institution_for(*, actor, name: str) -> PayeeInstitution | None:
    """The registered institution of that name the actor may see (the most local registration first)."""
    return (PayeeInstitution.objects.restrict(actor, Action.VIEW).filter(name=name.strip())
            .order_by("-region_id").first())
