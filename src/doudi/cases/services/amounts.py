"""Maker-checker for money (issue 9.2, amounts part): a decided amount above the engine's own amount for the same
basis, or an adjustment that changes the monthly amount by more than the profile's
``adjustment.second_approval_above``, needs a second person with the right to decide in that area to confirm it, with
a written reason, before the approval. The approver and the confirmer are two different people."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.cases.errors import CaseError, Code
from doudi.cases.models import Application, Case
from doudi.core.errors import NotFoundOrForbidden
from doudi.core.money import format_yuan
from doudi.eligibility.services import params_for
from doudi.rules import entitlement_amount

if TYPE_CHECKING:
    from doudi.accounts.models import User

THRESHOLD_KEY = "adjustment.second_approval_above"


def engine_amount(ent, *, day: dt.date) -> int | None:
    """The engine's amount for the entitlement's stored basis under the parameters in force on ``day``."""
    if not ent.basis_area:
        return None
    params = params_for(ent.household.region.effective_profile(), as_of=day, area=ent.basis_area)
    return entitlement_amount(program=ent.program, area=ent.basis_area, params=params,
                              members=ent.basis_members or ent.covered_members or 1,
                              income_fen=ent.basis_income_fen, care_tier=ent.basis_care_level or None)


def second_approval_reason(case: Case, *, ent, amount_fen: int, day: dt.date) -> str | None:
    """Why ``amount_fen`` for this case needs a second approver, or None."""
    computed = engine_amount(ent, day=day)
    if computed is not None and amount_fen > computed:
        return _("决定金额%(a)s元高于测算金额%(b)s元") % {"a": format_yuan(amount_fen), "b": format_yuan(computed)}
    params = params_for(ent.household.region.effective_profile(), as_of=day, area=ent.basis_area or None)
    limit = params.get(THRESHOLD_KEY)
    if limit is not None and abs(amount_fen - ent.monthly_fen) > int(limit):
        return _("调整幅度%(d)s元超过%(l)s元（%(src)s）") % {
            "d": format_yuan(abs(amount_fen - ent.monthly_fen)), "l": format_yuan(int(limit)),
            "src": params.label(THRESHOLD_KEY)}
    return None


def second_approval_check(actor: User, *, case: Case, ent, amount_fen: int, day: dt.date) -> None:
    why = second_approval_reason(case, ent=ent, amount_fen=amount_fen, day=day)
    if why is None:
        return
    if case.amount_confirmed_by_id is None:
        raise CaseError(_("%(why)s，须由另一名有审批权限的人员填写理由确认后方可批准（双人审核）") % {"why": why},
                        code=Code.SECOND_APPROVAL_REQUIRED)
    if case.amount_confirmed_by_id == actor.pk:
        raise CaseError(_("%(why)s：确认人与审批人不能是同一人") % {"why": why}, code=Code.SAME_PERSON)


@transaction.atomic
def amount_confirm(*, actor: User, case: Case | int, reason: str) -> Case:
    """The second person confirms the proposed amount with a reason (``second_approval_check`` reads it)."""
    from doudi.cases.services.transition import check_authority
    from doudi.cases.workflow import DECIDER

    pk = getattr(case, "pk", case)
    if not Case.objects.restrict(actor, Action.VIEW).filter(pk=pk).exists():
        raise NotFoundOrForbidden(_("未找到该案件，或不在您的辖区内"))
    locked = Case.objects.select_for_update().get(pk=pk)
    check_authority(actor, case=locked, who=DECIDER)
    proposer = Application.objects.filter(pk=locked.application_id).values_list("submitted_by_id", flat=True).first()
    if proposer == actor.pk:  # the amount was proposed when the adjustment was opened (cases.services.intake)
        raise CaseError(_("提出调整金额的人员不能确认自己提出的金额，须由另一名有审批权限的人员确认"),
                        code=Code.SAME_PERSON)
    if not reason.strip():
        raise CaseError(_("确认金额须写明理由"), code=Code.REASON_REQUIRED, field="reason")
    if locked.proposed_monthly_fen is None:
        raise CaseError(_("该案件没有待确认的金额"), code=Code.NOTHING_TO_CONFIRM)
    locked.amount_confirmed_by = actor
    locked.amount_confirmed_reason = reason.strip()[:300]
    locked.amount_confirmed_at = timezone.now()
    locked.save(update_fields=["amount_confirmed_by", "amount_confirmed_reason", "amount_confirmed_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, region_code=locked.region_id,
                 changes={"amount_confirmed": locked.proposed_monthly_fen}, reason=reason)
    return locked
