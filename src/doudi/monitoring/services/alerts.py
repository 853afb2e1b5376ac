"""一上一下: a warning is pushed down to the village with a deadline, visited, and answered by a second person.

- **push** (the county or the township): new → pushed, with the rule's deadline in working days ([004] 二: the
  county pushes suspected cases to the township platform; S7 §3(4) 分类处置);
- **visit** (the village assistant or grid worker, on a phone): pushed → visited, with findings, a signature, an
  optional photo and a proposed response;
- **return** (the township): visited → pushed, to visit again;
- **confirm** (the township, never the visitor): visited → closed, running the response through the service that
  owns it — an application (``cases.services.application_submit``), an identification, a referral
  (``referrals.services.referral_create``) or a review of the payment (``reviews.services.review_open``) — or
  dismissing it with the reason.

Village assistants also report households they find (主动发现, the "一上"): ``discovery_report`` files a warning that is
already visited, and the township confirms it the same way.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import IllegalTransition, NotFoundOrForbidden
from doudi.core.workdays import add_working_days
from doudi.monitoring.choices import Response, Severity, SuggestedResponse, WarningSource, WarningStatus
from doudi.monitoring.errors import Code, MonitoringError
from doudi.monitoring.models import Alert, AlertTransition, Visit
from doudi.monitoring.services.responses import Proposal, carry_out, check_proposal
from doudi.registry.models import Household

if TYPE_CHECKING:
    from doudi.accounts.models import User

S = WarningStatus
TRANSITIONS: dict[str, frozenset[str]] = {
    S.NEW: frozenset({S.PUSHED}),
    S.PUSHED: frozenset({S.VISITED}),
    S.VISITED: frozenset({S.PUSHED, S.CLOSED}),
    S.CLOSED: frozenset(),
}
MAX_SIGNATURE = 300_000
MAX_PHOTO = 8_000_000
PNG = b"\x89PNG\r\n\x1a\n"
REPORT_RULE = "village_report"
REPORT_DEADLINE_KEY = "monitoring.report.deadline_days"


def _move(alert: Alert, to: str, actor: User, reason: str = "") -> None:
    old = alert.status
    if to not in TRANSITIONS[old]:
        raise IllegalTransition(_("预警不能从“%(a)s”变为“%(b)s”") % {"a": S(old).label, "b": S(to).label})
    alert.status = to
    AlertTransition.objects.create(alert=alert, from_status=old, to_status=to, actor=actor, reason=reason[:300])


def _lock(actor: User, alert: Alert | int, action: str) -> Alert:
    pk = getattr(alert, "pk", alert)
    if not Alert.objects.restrict(actor, action).filter(pk=pk).exists():
        raise NotFoundOrForbidden(_("未找到该预警，或不在您的辖区内"))
    return Alert.objects.select_for_update().select_related("household", "region").get(pk=pk)


@transaction.atomic
def alert_push(*, actor: User, alerts: list[int], today: dt.date | None = None) -> int:
    """Push new warnings down to their village; the deadline is the rule's, in working days. Returns how many."""
    today = today or timezone.localdate()
    pushed = 0
    for pk in alerts:
        alert = _lock(actor, pk, Action.DECIDE)  # township and above; a village assistant does not push
        if alert.status != S.NEW:
            continue
        _move(alert, S.PUSHED, actor)
        alert.deadline = add_working_days(today, alert.deadline_days)
        alert.pushed_at = timezone.now()
        alert.save(update_fields=["status", "deadline", "pushed_at"])
        audit_record(actor=actor, action=AuditAction.TRANSITION, obj=alert, region_code=alert.region_id,
                     changes={"status": [S.NEW, S.PUSHED], "deadline": alert.deadline})
        pushed += 1
    return pushed


def _signature(data: bytes) -> ContentFile:
    if not data or not data.startswith(PNG) or len(data) > MAX_SIGNATURE:
        raise MonitoringError(_("请走访人在屏幕上签名"), code=Code.SIGNATURE_REQUIRED, field="signature")
    return ContentFile(data, name=f"{uuid.uuid4().hex}.png")


def _photo(photo):
    if photo is None:
        return None
    if photo.size > MAX_PHOTO or not str(getattr(photo, "content_type", "")).startswith("image/"):
        raise MonitoringError(_("现场照片须为不超过 8 MB 的图片"), code=Code.BAD_PHOTO, field="photo")
    return photo


def _record_visit(alert: Alert, actor: User, proposal: Proposal, *, visited_on: dt.date, findings: str,
                  signature: bytes, photo) -> Visit:
    if not findings.strip():
        raise MonitoringError(_("请填写核实情况"), code=Code.FINDINGS_REQUIRED, field="findings")
    if visited_on > timezone.localdate():
        raise MonitoringError(_("走访日期不能晚于今天"), code=Code.BAD_DATE, field="visited_on")
    check_proposal(alert.household, p=proposal)
    return Visit.objects.create(
        alert=alert, visitor=actor, visited_on=visited_on, findings=findings.strip(), proposal=proposal.response,
        proposal_detail=proposal.detail, reason=proposal.reason[:300], requested_fen=proposal.requested_fen,
        signature=_signature(signature), photo=_photo(photo) or "")


@transaction.atomic
def alert_visit(*, actor: User, alert: Alert | int, visited_on: dt.date, findings: str, proposal: Proposal,
                signature: bytes, photo=None) -> Visit:
    alert = _lock(actor, alert, Action.CHANGE)
    if alert.status != S.PUSHED:
        raise IllegalTransition(_("该预警不在待核实状态"))
    visit = _record_visit(alert, actor, proposal, visited_on=visited_on, findings=findings, signature=signature,
                          photo=photo)
    _move(alert, S.VISITED, actor, Response(proposal.response).label)
    alert.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=alert, region_code=alert.region_id,
                 changes={"status": [S.PUSHED, S.VISITED], "proposal": proposal.response,
                          "detail": proposal.detail})
    return visit


@transaction.atomic
def alert_return(*, actor: User, alert: Alert | int, reason: str) -> Alert:
    alert = _lock(actor, alert, Action.DECIDE)
    if not reason.strip():
        raise MonitoringError(_("退回须写明原因"), code=Code.REASON_REQUIRED, field="reason")
    _move(alert, S.PUSHED, actor, reason)
    alert.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=alert, region_code=alert.region_id,
                 changes={"status": [S.VISITED, S.PUSHED]}, reason=reason)
    return alert


@transaction.atomic
def alert_confirm(*, actor: User, alert: Alert | int, note: str = "") -> Alert:
    """The township confirms the visit's proposal and the response is carried out, in one transaction."""
    alert = _lock(actor, alert, Action.DECIDE)
    if alert.status != S.VISITED:
        raise IllegalTransition(_("该预警尚未核实，不能确认处置"))
    visit = alert.visits.order_by("-created_at", "-id").first()
    if visit.visitor_id == actor.pk:
        raise MonitoringError(_("走访核实人不能确认自己的处置建议，请由乡镇（街道）另一名人员确认"),
                              code=Code.SAME_PERSON)
    proposal = Proposal(visit.proposal, visit.proposal_detail, visit.reason, visit.requested_fen)
    ref = carry_out(actor=actor, alert=alert, visit=visit, proposal=proposal)
    _move(alert, S.CLOSED, actor, note)
    alert.outcome, alert.outcome_ref = proposal.response, ref
    alert.outcome_note = (note.strip() or visit.reason or visit.findings)[:300]
    alert.closed_at, alert.closed_by = timezone.now(), actor
    alert.save(update_fields=["status", "outcome", "outcome_ref", "outcome_note", "closed_at", "closed_by"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=alert, region_code=alert.region_id,
                 changes={"status": [S.VISITED, S.CLOSED], "outcome": proposal.response, "ref": ref}, reason=note)
    return alert


@transaction.atomic
def discovery_report(*, actor: User, household: Household, findings: str, proposal: Proposal, signature: bytes,
                     photo=None, visited_on: dt.date | None = None) -> Alert:
    """A village assistant reports a household found in difficulty (主动发现); the township confirms it."""
    from doudi.policy.services import profile_load_effective

    found = Household.objects.restrict(actor, Action.CHANGE).filter(pk=household.pk).select_related("region").first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该家庭，或不在您的辖区内"))
    today = timezone.localdate()
    entry = profile_load_effective(name_or_path=found.region.effective_profile()).resolve(REPORT_DEADLINE_KEY, today)
    if entry is None:  # the national profile sets it; no number is guessed here when a profile leaves it out
        raise MonitoringError(_("政策配置缺少村（社区）上报的办理时限（%(k)s）") % {"k": REPORT_DEADLINE_KEY},
                              code=Code.NO_REPORT_DEADLINE)
    alert = Alert.objects.create(
        key=f"{REPORT_RULE}:{found.pk}:{uuid.uuid4().hex[:16]}", source=WarningSource.VILLAGE,
        rule_code=REPORT_RULE, rule_title=_("村（社区）主动发现困难家庭"), severity=Severity.YELLOW,
        suggested=SuggestedResponse.VISIT, deadline_days=entry.value,
        basis=_("[004] 二 “一上一下”主动发现：村（社区）自下而上发现、报告困难群众"), household=found,
        region_id=found.region_id, period=today.replace(day=1), detail=findings.strip()[:300],
        status=S.PUSHED, deadline=add_working_days(today, entry.value), pushed_at=timezone.now())
    AlertTransition.objects.create(alert=alert, from_status="", to_status=S.PUSHED, actor=actor,
                                   reason=_("村（社区）上报"))
    _record_visit(alert, actor, proposal, visited_on=visited_on or today, findings=findings, signature=signature,
                  photo=photo)
    _move(alert, S.VISITED, actor, Response(proposal.response).label)
    alert.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.CREATE, obj=alert, region_code=alert.region_id,
                 changes={"source": WarningSource.VILLAGE, "proposal": proposal.response})
    return alert


def may_confirm(actor: User, *, alert: Alert) -> bool:
    last = alert.visits.order_by("-created_at", "-id").first()
    return allows(actor, Action.DECIDE, alert.region_id) and last is not None and last.visitor_id != actor.pk
