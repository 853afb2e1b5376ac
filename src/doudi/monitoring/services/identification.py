"""Formal identification of 低保边缘 and 刚性支出困难 families (低收入家庭认定): propose → verify → decide.

- **propose**: a family applies, or a caseworker or the village proposes it after a discovery or a warning;
- **verify**: the rules engine evaluates the household as it stands today (``eligibility.services.evaluation_run``,
  stored and replayable); the engine's verdict for the category is kept on the identification;
- **decide**: a second person with the deciding authority approves (only where the engine found the family in
  the category) or rejects with a reason. The proposer can never decide (maker-checker).

Approval puts every current member in the low-income database in that category; a 刚性支出困难 identification is
valid for the months the engine gives (S8 Art 10: generally not more than 12).
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import IllegalTransition, NotFoundOrForbidden
from doudi.eligibility.services import evaluation_run
from doudi.monitoring.choices import (
    EntrySource,
    IdentificationCategory,
    IdentificationChannel,
    IdentificationState,
)
from doudi.monitoring.errors import Code, MonitoringError
from doudi.monitoring.models import Identification, IdentificationTransition, LowIncomeMember
from doudi.registry.models import Household, Membership

if TYPE_CHECKING:
    from doudi.accounts.models import User

S = IdentificationState
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.VERIFIED, S.REJECTED}),
    S.VERIFIED: frozenset({S.APPROVED, S.REJECTED}),
    S.APPROVED: frozenset(),
    S.REJECTED: frozenset(),
}
# Which part of the engine's decision says the family is in the category.
ENGINE_FIELD = {IdentificationCategory.MARGIN: "margin", IdentificationCategory.RIGID: "rigid_difficulty"}


def _move(ident: Identification, to: str, actor: User, reason: str = "") -> None:
    old = ident.state
    if to not in TRANSITIONS[old]:
        raise IllegalTransition(_("认定不能从“%(a)s”变为“%(b)s”") % {"a": S(old).label, "b": S(to).label})
    ident.state = to
    IdentificationTransition.objects.create(identification=ident, from_state=old, to_state=to, actor=actor,
                                            reason=reason[:300])


def _lock(actor: User, identification: Identification | int, action: str) -> Identification:
    pk = getattr(identification, "pk", identification)
    if not Identification.objects.restrict(actor, action).filter(pk=pk).exists():
        raise NotFoundOrForbidden(_("未找到该认定，或不在您的辖区内"))
    return Identification.objects.select_for_update().select_related("household").get(pk=pk)


@transaction.atomic
def identification_propose(*, actor: User, household: Household, category: str, channel: str, statement: str = "",
                           alert=None) -> Identification:
    found = Household.objects.restrict(actor, Action.CHANGE).filter(pk=household.pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该家庭，或不在您的辖区内"))
    if category not in IdentificationCategory.values:
        raise MonitoringError(_("请选择认定类别（低保边缘家庭或刚性支出困难家庭）"), code=Code.BAD_CATEGORY,
                              field="category")
    if channel not in IdentificationChannel.values:
        raise MonitoringError(_("认定来源无效"), code=Code.BAD_CHANNEL, field="channel")
    if Identification.objects.filter(household=found, category=category,
                                     state__in=[S.PROPOSED, S.VERIFIED]).exists():
        raise MonitoringError(_("该家庭已有正在办理的同类认定"), code=Code.IDENTIFICATION_OPEN)
    ident = Identification.objects.create(
        number=f"tmp-{timezone.now():%H%M%S%f}", household=found, region_id=found.region_id, category=category,
        channel=channel, statement=statement.strip()[:500], alert=alert, proposed_by=actor)
    ident.number = f"RD{timezone.localdate():%Y%m%d}{ident.pk:06d}"
    ident.save(update_fields=["number"])
    IdentificationTransition.objects.create(identification=ident, from_state="", to_state=S.PROPOSED, actor=actor,
                                            reason=ident.statement[:300])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=ident, region_code=found.region_id,
                 changes={"category": category, "channel": channel})
    return ident


@transaction.atomic
def identification_verify(*, actor: User, identification: Identification | int) -> Identification:
    """Run the engine on the household as it stands today and keep its verdict for the category."""
    ident = _lock(actor, identification, Action.CHANGE)
    if ident.state != S.PROPOSED:
        raise IllegalTransition(_("只有待核对的认定可以核对测算"))
    evaluation = evaluation_run(actor=actor, household=ident.household, as_of=timezone.localdate())
    ident.evaluation = evaluation
    ident.engine_eligible = bool(evaluation.result.get(ENGINE_FIELD[ident.category], {}).get("eligible"))
    ident.verified_by = actor
    verdict = _("测算符合") if ident.engine_eligible else _("测算不符合")
    _move(ident, S.VERIFIED, actor, verdict)
    ident.save(update_fields=["evaluation", "engine_eligible", "verified_by", "state"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=ident, region_code=ident.region_id,
                 changes={"state": [S.PROPOSED, S.VERIFIED], "engine_eligible": ident.engine_eligible})
    return ident


@transaction.atomic
def identification_decide(*, actor: User, identification: Identification | int, approve: bool,
                          reason: str = "") -> Identification:
    ident = _lock(actor, identification, Action.DECIDE)
    if ident.state != S.VERIFIED:
        raise IllegalTransition(_("须先完成核对测算，才能审批"))
    if ident.proposed_by_id == actor.pk:
        # Maker-checker: an eligibility decision needs two people.
        raise MonitoringError(_("提出认定的人员不能审批同一认定，请由另一名有审批权限的人员办理"),
                              code=Code.SAME_PERSON)
    reason = reason.strip()
    if approve and not ident.engine_eligible:
        raise MonitoringError(_("政策测算结论为不符合，不能认定；可作不予认定处理"), code=Code.ENGINE_NOT_ELIGIBLE)
    if not approve and not reason:
        raise MonitoringError(_("不予认定须写明理由"), code=Code.REASON_REQUIRED, field="reason")
    today = timezone.localdate()
    ident.decided_by, ident.decided_at, ident.decision_reason = actor, timezone.now(), reason[:300]
    old = ident.state
    if approve:
        ident.valid_from = today
        months = ident.evaluation.result.get("rigid_difficulty", {}).get("valid_months") if ident.evaluation else 0
        if ident.category == IdentificationCategory.RIGID and months:
            ident.valid_to = _add_months(today, int(months)) - dt.timedelta(days=1)
        _move(ident, S.APPROVED, actor, reason)
        _enrol(ident, actor)
    else:
        _move(ident, S.REJECTED, actor, reason)
    ident.save(update_fields=["decided_by", "decided_at", "decision_reason", "valid_from", "valid_to", "state"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=ident, region_code=ident.region_id,
                 changes={"state": [old, ident.state]}, reason=reason)
    return ident


def _enrol(ident: Identification, actor: User) -> None:
    label = IdentificationCategory(ident.category).label
    today = ident.valid_from
    for pid in Membership.objects.filter(household=ident.household).as_of(today).values_list("person_id", flat=True):
        LowIncomeMember.objects.filter(person_id=pid, household=ident.household, category=ident.category,
                                       valid_to__isnull=True).update(valid_to=today - dt.timedelta(days=1),
                                                                     end_reason=_("重新认定"))
        LowIncomeMember.objects.create(
            person_id=pid, household=ident.household, region_id=ident.region_id, category=ident.category,
            reason=_("经认定为%(c)s（%(n)s）") % {"c": label, "n": ident.number}, source=EntrySource.IDENTIFICATION,
            source_ref=f"identification:{ident.pk}", valid_from=today, valid_to=ident.valid_to, recorded_by=actor)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def may_decide(actor: User, *, ident: Identification) -> bool:
    return allows(actor, Action.DECIDE, ident.region_id) and ident.proposed_by_id != actor.pk
