"""Referral writes: create (the township pushes a need) and one transition function for everything after."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, snapshot
from doudi.core.errors import DomainError, IllegalTransition, NotFoundOrForbidden
from doudi.core.workdays import add_working_days
from doudi.policy.services import values_as_of
from doudi.referrals.choices import RESPONSIBLE_DEPARTMENT, NeedType, ReferralStatus
from doudi.referrals.errors import Code
from doudi.referrals.models import ANSWER, Referral, ReferralTransition
from doudi.registry.models import Household

if TYPE_CHECKING:
    from doudi.accounts.models import User
    from doudi.regions.models import Region

ANSWER_KEY = "procedure.referral.answer_workdays"  # the profile's answer limit (national: illustrative 10)


def answer_deadline(region: Region, *, day: dt.date) -> dt.date:
    """The day the department must answer by: the profile's working days from ``day``."""
    days = values_as_of(profile=region.effective_profile(), prefix=ANSWER_KEY, on=day).get(ANSWER_KEY)
    if days is None:
        raise DomainError(_("本地政策配置未设置转介答复时限（%(key)s），请联系系统管理员") % {"key": ANSWER_KEY},
                          code=Code.NO_ANSWER_LIMIT)
    return add_working_days(day, days)

S = ReferralStatus
# The only moves a referral can make; every one is the department's (action "answer").
TRANSITIONS: dict[str, frozenset[str]] = {
    S.SENT: frozenset({S.RECEIVED, S.DECLINED}),
    S.RECEIVED: frozenset({S.IN_PROGRESS, S.ANSWERED, S.DECLINED}),
    S.IN_PROGRESS: frozenset({S.ANSWERED, S.DECLINED}),
    S.ANSWERED: frozenset(),
    S.DECLINED: frozenset(),
}
NEEDS_ANSWER = frozenset({S.ANSWERED, S.DECLINED})


class ReferralError(DomainError):
    code = "referral_error"


@transaction.atomic
def referral_create(
    *,
    actor: User,
    household: Household,
    need_type: str,
    need_detail: str = "",
    application_id: int | None = None,
    department: str | None = None,
) -> Referral:
    found = Household.objects.restrict(actor, Action.CHANGE).filter(pk=household.pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该家庭，或不在您的辖区内"))
    if need_type not in NeedType.values:
        raise ReferralError(_("救助需求类型无效"), code=Code.BAD_NEED_TYPE, field="need_type")
    return _send(actor=actor, household=found, region=found.region, need_type=need_type,
                 need_detail=need_detail.strip()[:500], application_id=application_id, department=department)


def _send(*, actor: User, household: Household, region, need_type: str, need_detail: str, application_id: int | None,
          department: str | None = None) -> Referral:
    """The referral row (filed under ``region``), its first transition (sent) and the audit event; the caller has
    checked scope."""
    referral = Referral.objects.create(
        household=household,
        application_id=application_id,
        need_type=need_type,
        need_detail=need_detail,
        department=department or RESPONSIBLE_DEPARTMENT[need_type],
        region=region,
        deadline=answer_deadline(region, day=timezone.localdate()),
        created_by=actor,
    )
    ReferralTransition.objects.create(referral=referral, from_status="", to_status=S.SENT, actor=actor)
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=referral, region_code=region.code,
        changes=snapshot(referral),
    )
    return referral


@transaction.atomic
def referral_transition(*, actor: User, referral: Referral, to_status: str, answer: str = "") -> Referral:
    """Move a referral along TRANSITIONS: lock, check scope and table, write the transition row and audit together."""
    locked = Referral.objects.restrict(actor, ANSWER).select_for_update().filter(pk=referral.pk).first()
    if locked is None:
        raise NotFoundOrForbidden(_("未找到该转办事项，或不属于您部门在本辖区的事项"))
    old = locked.status
    if to_status not in TRANSITIONS.get(old, frozenset()):
        raise IllegalTransition(
            _("转办事项不能从“%(old)s”变为“%(new)s”")
            % {"old": S(old).label, "new": S(to_status).label if to_status in S.values else to_status}
        )
    answer = answer.strip()
    if to_status in NEEDS_ANSWER and not answer:
        raise ReferralError(_("办结或不予受理时须填写答复内容"), code=Code.ANSWER_REQUIRED, field="answer")
    locked.status = to_status
    fields = ["status"]
    if to_status in NEEDS_ANSWER:
        locked.answer = answer
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        fields += ["answer", "answered_by", "answered_at"]
    locked.save(update_fields=fields)
    ReferralTransition.objects.create(referral=locked, from_status=old, to_status=to_status, actor=actor, reason=answer)
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=locked,
        region_code=locked.region_id,
        changes={"status": [old, to_status]},
        reason=answer,
    )
    return locked


@transaction.atomic
def referrals_for_application(*, actor: User, application) -> list[Referral]:
    """分口施救: each special-assistance need ticked on an application becomes a referral to the department
    responsible (issue 8 item 6), once per (application, need). The application was scoped when it was submitted
    (an applicant applies for their own household through self-service), so no second scope check here."""
    made = []
    for need in dict.fromkeys(application.special_needs or []):
        if need not in NeedType.values:
            continue
        if Referral.objects.filter(application_id=application.pk, need_type=need).exists():
            continue
        made.append(_send(actor=actor, household=application.household, region=application.region, need_type=need,
                          need_detail=_("申请%(n)s时勾选的专项救助需求") % {"n": application.number},
                          application_id=application.pk))
    return made
