"""The home investigation (入户调查, S1 Art 16): at least two investigators, each a user of the platform who may act
on the case, each signing the record for themselves (user and time). The number comes from the policy profile
(``procedure.min_investigators``). Who investigated a case may not approve it (``separation``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.cases.choices import InvestigationKind, State, Workflow
from doudi.cases.errors import CaseError, Code
from doudi.cases.models import Application, Case, Investigation, InvestigationSignature
from doudi.cases.services.records import case_lock, record_audit
from doudi.core.errors import IllegalTransition, NotFoundOrForbidden

if TYPE_CHECKING:
    from doudi.accounts.models import User

INVESTIGATION_STATES = {
    State.SUBMITTED, State.ACCEPTED, State.VERIFYING, State.INVESTIGATING, State.TOWNSHIP_REVIEWED,
    State.PUBLIC_NOTICE, State.OBJECTION, State.REINVESTIGATING, State.ADVANCE_PAID,
}
# Used only when the case's profile has no ``procedure.min_investigators`` on the day (a broken or partial profile):
# the national floor "调查人员不少于2人" (S1 Art 16), so a missing value can never lower the bar.
LEGAL_FLOOR_INVESTIGATORS = 2


def min_investigators(case: Case, *, day: dt.date) -> int:
    from doudi.eligibility.services import params_for

    try:
        value = params_for(case.region.effective_profile(), as_of=day).get("procedure.min_investigators")
    except (ValueError, OSError):  # ProfileError is a ValueError
        value = None
    return max(int(value or 0), LEGAL_FLOOR_INVESTIGATORS)


def investigator_users(case: Case, *, ids) -> list:
    """The users named as investigators, each of whom must be able to act on the case (change, over its village)."""
    wanted = []
    for raw in ids:
        pk = getattr(raw, "pk", raw)
        if pk in (None, "") or pk in wanted:
            continue
        wanted.append(pk)
    found = {u.pk: u for u in get_user_model().objects.filter(pk__in=[int(p) for p in wanted if str(p).isdigit()],
                                                              is_active=True)}
    users = []
    for pk in wanted:
        user = found.get(int(pk)) if str(pk).isdigit() else None
        if user is None or not allows(user, Action.CHANGE, case.region_id):
            raise CaseError(_("调查人员须是有权办理本案件的工作人员"), code=Code.INVESTIGATOR_OUT_OF_SCOPE,
                            field="investigators")
        users.append(user)
    return users


def _check_kind(kind: str, family_signed: bool, remote_reason: str) -> None:
    if kind == InvestigationKind.REMOTE:
        if not remote_reason.strip():
            # S1 Art 16: non-contact visits only in major emergencies, and the record says why.
            raise CaseError(_("非接触调查仅限重大突发事件等紧急情况，请写明原因"), code=Code.REMOTE_REASON_REQUIRED,
                            field="remote_reason")
    elif kind == InvestigationKind.HOME_VISIT and not family_signed:
        raise CaseError(_("入户调查表须由在场家庭成员签字"), code=Code.FAMILY_SIGNATURE_REQUIRED, field="family_signed")


@transaction.atomic
def investigation_record(*, actor: User, case: Case | int, kind: str, visited_on: dt.date, investigators: list,
                         family_signed: bool = False, findings: str = "", remote_reason: str = "") -> Investigation:
    """Record an investigation naming its investigators (users or user ids). The actor, when one of them, signs at
    once; each other investigator signs with ``investigation_sign``."""
    case, reach = case_lock(actor, case=case)
    if case.state not in INVESTIGATION_STATES:
        raise IllegalTransition(_("当前状态“%(s)s”不能登记调查") % {"s": case.get_state_display()})
    if kind not in InvestigationKind.values:
        raise CaseError(_("请选择调查方式"), code=Code.BAD_KIND, field="kind")
    users = investigator_users(case, ids=investigators)
    need = min_investigators(case, day=visited_on)
    if len(users) < need:
        raise CaseError(_("调查须由至少%(n)s名不同的调查人员进行，请选择调查人员") % {"n": need},
                        code=Code.TWO_INVESTIGATORS_REQUIRED, field="investigators")
    _check_kind(kind, family_signed, remote_reason)
    if visited_on > timezone.localdate():
        raise CaseError(_("调查日期不能晚于今天"), code=Code.FUTURE_DATE, field="visited_on")
    inv = Investigation.objects.create(
        case=case, kind=kind, visited_on=visited_on, family_signed=family_signed, by_county=reach <= 6,
        remote_reason=remote_reason.strip(), findings=findings, recorded_by=actor,
    )
    now = timezone.now()
    InvestigationSignature.objects.bulk_create([
        InvestigationSignature(investigation=inv, investigator=u, signed_at=now if u.pk == actor.pk else None)
        for u in users
    ])
    record_audit(actor, case=case, obj=inv, changes={"kind": kind, "by_county": inv.by_county,
                                    "investigators": [u.pk for u in users]})
    return inv


@transaction.atomic
def investigation_sign(*, actor: User, investigation: Investigation | int) -> InvestigationSignature:
    """The investigator named on the record signs it, for themselves only."""
    pk = getattr(investigation, "pk", investigation)
    inv = Investigation.objects.restrict(actor, Action.CHANGE).filter(pk=pk).first()
    if inv is None:
        raise NotFoundOrForbidden(_("未找到该调查记录，或不在您的辖区内"))
    case_lock(actor, case=inv.case_id)
    sig = InvestigationSignature.objects.select_for_update().filter(investigation=inv, investigator=actor).first()
    if sig is None:
        raise CaseError(_("您不是这份调查记录的调查人员，不能代替他人签字"), code=Code.NOT_AN_INVESTIGATOR)
    if sig.signed_at is not None:
        raise CaseError(_("您已签过字"), code=Code.ALREADY_SIGNED)
    sig.signed_at = timezone.now()
    sig.save(update_fields=["signed_at"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=inv, region_code=inv.case.region_id,
                 changes={"signed_by": actor.pk})
    return sig


def signed_count(inv: Investigation) -> int:
    signed = {s.investigator_id for s in inv.signatures.all() if s.signed_at is not None}
    # Recorded before investigators were accounts: the paper form's signatures, as typed then.
    legacy = {str(i.get("name")) for i in inv.legacy_investigators or [] if i.get("signed")}
    return max(len(signed), len(legacy))


def valid_investigation(case: Case, *, since: dt.datetime | None = None) -> bool:
    qs = case.investigations.prefetch_related("signatures")
    if since is not None:
        qs = qs.filter(recorded_at__gt=since)
    return any(signed_count(inv) >= min_investigators(case, day=inv.visited_on) for inv in qs)


def involved_user_ids(case: Case, *, review_states) -> set[int]:
    """Who investigated (named on or recorded an investigation) or reviewed (moved the case into one of
    ``review_states``) the case: none of them may approve it."""
    ids = set(InvestigationSignature.objects.filter(investigation__case=case).values_list("investigator_id",
                                                                                         flat=True))
    ids |= set(case.investigations.exclude(recorded_by=None).values_list("recorded_by_id", flat=True))
    ids |= set(case.transitions.filter(to_state__in=list(review_states)).exclude(actor=None)
               .values_list("actor_id", flat=True))
    if case.workflow == Workflow.ADJUSTMENT:
        # an increase, decrease or stop is proposed by whoever opened it (the one who concluded the review that
        # led to it, reviews.services.outcome): they may not approve it either
        proposer = Application.objects.filter(pk=case.application_id).values_list("submitted_by_id", flat=True)
        ids |= {pk for pk in proposer if pk is not None}
    return ids
