"""A review: re-verification, a fresh evaluation and an outcome with a written reason (S1 Art 31–33).

Adjust and stop (and 特困 termination) open an adjustment case through the case workflow, so the same transitions,
public notice, decision and written notice apply (S1 Art 32; S2 Art 24–26), and the one who concluded the review
cannot approve it (``cases.services.investigation.involved_user_ids``). Continue and 渐退 are recorded here.

The special groups (孤儿、事实无人抚养儿童, 困难残疾人生活补贴, 重度残疾人护理补贴; issue 12.4) are concluded as the
engine's evaluation of the review says for the entitlement's person (``selectors.special_finding``): continue,
adjust to the engine's amount, or stop — nothing here knows an age, a category or a grade. A person paid past the
age for full-time schooling is continued only with the proof of enrolment seen at this review.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.benefits.choices import SPECIAL_PROGRAMS, EntitlementStatus, Program
from doudi.benefits.models import Entitlement
from doudi.core.errors import NotFoundOrForbidden
from doudi.reviews.choices import ReviewOutcome, ReviewReason, ReviewStatus
from doudi.reviews.errors import Code, ReviewError
from doudi.reviews.models import ReviewTask
from doudi.rules.grace import granted

if TYPE_CHECKING:
    from doudi.accounts.models import User

REPORT_DUE_DAYS = 30  # platform default for checks triggered by a report or a verification discrepancy


def _lock(actor: User, task: ReviewTask | int, action: str = Action.CHANGE) -> ReviewTask:
    pk = task.pk if isinstance(task, ReviewTask) else task
    if not ReviewTask.objects.restrict(actor, action).filter(pk=pk).exists():
        raise NotFoundOrForbidden(_("未找到该核查任务，或不在您的辖区内"))
    return ReviewTask.objects.select_for_update().select_related("entitlement", "household__region").get(pk=pk)


def _require_open(task: ReviewTask) -> None:
    if not task.is_open:
        raise ReviewError(_("该核查任务已办结"), code=Code.REVIEW_CLOSED)


@transaction.atomic
def review_open(*, actor: User, entitlement: Entitlement | int, reason: str, key: str = "", note: str = "",
                due_on: dt.date | None = None) -> ReviewTask:
    """A check triggered by a report (家庭报告/举报) or a verification discrepancy; periodic and death checks come
    from the scan. Opening the same trigger twice returns the first task."""
    ent = Entitlement.objects.restrict(actor, Action.CHANGE).filter(pk=getattr(entitlement, "pk", entitlement)).first()
    if ent is None:
        raise NotFoundOrForbidden(_("未找到该救助待遇，或不在您的辖区内"))
    if reason not in (ReviewReason.REPORT, ReviewReason.DISCREPANCY):
        raise ReviewError(_("定期核查和死亡核查由扫描自动生成"), code=Code.INVALID_REASON, field="reason")
    if not note.strip():
        raise ReviewError(_("请写明核查事由"), code=Code.NOTE_REQUIRED, field="note")
    today = timezone.localdate()
    key = key or f"{reason}:{timezone.now():%Y%m%d%H%M%S%f}"
    task, created = ReviewTask.objects.get_or_create(
        entitlement=ent, reason=reason, key=key[:40],
        defaults={"household_id": ent.household_id, "note": note.strip()[:300], "created_by": actor,
                  "due_on": due_on or today + dt.timedelta(days=REPORT_DUE_DAYS)},
    )
    if created:
        audit_record(actor=actor, action=AuditAction.CREATE, obj=task, region_code=ent.household.region_id,
                     changes={"reason": reason, "due_on": task.due_on}, reason=note)
    return task


@transaction.atomic
def review_verify(*, actor: User, task: ReviewTask | int) -> ReviewTask:
    """Start the economic re-verification (定期核对, S5 §5(1)); needs the household's authorisations on file."""
    from doudi.verification.services import verification_request

    task = _lock(actor, task)
    _require_open(task)
    req = verification_request(actor=actor, household=task.household,
                               include_supporters=task.entitlement.program == Program.TEKUN)
    task.verification_request = req
    task.status = ReviewStatus.IN_PROGRESS
    task.save(update_fields=["verification_request", "status"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=task, region_code=task.household.region_id,
                 changes={"verification_request": req.pk})
    return task


@transaction.atomic
def review_evaluate(*, actor: User, task: ReviewTask | int, as_of: dt.date | None = None) -> ReviewTask:
    """A fresh evaluation under the policy in force now, stored with its inputs and explanation."""
    from doudi.eligibility.services import evaluation_run

    task = _lock(actor, task)
    _require_open(task)
    evaluation = evaluation_run(actor=actor, household=task.household, as_of=as_of or timezone.localdate())
    task.evaluation = evaluation
    task.status = ReviewStatus.IN_PROGRESS
    task.save(update_fields=["evaluation", "status"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=task, region_code=task.household.region_id,
                 changes={"evaluation": evaluation.pk})
    return task


@transaction.atomic
def review_decide(*, actor: User, task: ReviewTask | int, outcome: str, reason: str,
                  proposed_monthly_fen: int | None = None, grace_months: int | None = None,
                  today: dt.date | None = None, income_rose_on: dt.date | None = None,
                  income_rise_reason: str = "employment", grace_special: bool = False,
                  school_proof: str = "") -> ReviewTask:
    """``grace_months`` asks for a 渐退 period; the engine grants it (the profile's range, exclusions and memory),
    from the month of ``income_rose_on`` (else this month), and the last paid month is start + N − 1.
    ``school_proof``: the proof of full-time enrolment seen, for a person under the school extension."""
    from doudi.cases.choices import CaseKind
    from doudi.cases.services import adjustment_open

    today = today or timezone.localdate()
    task = _lock(actor, task)
    _require_open(task)
    if outcome not in ReviewOutcome.values:
        raise ReviewError(_("请选择核查结论"), code=Code.INVALID_OUTCOME, field="outcome")
    reason = (reason or "").strip()
    if not reason:
        # S1 Art 32; S3 Art 13 ¶3: decreases and stops are notified with written reasons; every outcome keeps one.
        raise ReviewError(_("请写明核查结论的理由"), code=Code.REASON_REQUIRED, field="reason")
    ent = task.entitlement
    if ent.status == EntitlementStatus.ENDED:
        raise ReviewError(_("该救助待遇已停止，无需再作结论"), code=Code.ENTITLEMENT_ENDED)
    school_proof = (school_proof or "").strip()
    if ent.program in SPECIAL_PROGRAMS:
        proposed_monthly_fen, reason = _special_check(task, outcome, proposed_monthly_fen, reason, school_proof)
    case = None
    if outcome == ReviewOutcome.ADJUST:
        if not proposed_monthly_fen or proposed_monthly_fen <= 0:
            raise ReviewError(_("请填写调整后的月救助金额"), code=Code.AMOUNT_REQUIRED, field="proposed_monthly_fen")
        if proposed_monthly_fen == ent.monthly_fen:
            # S1 Art 31: no material change → the amount is not adjusted; that outcome is "continue".
            raise ReviewError(_("金额未变化，请选择“继续保障”"),
                              code=Code.AMOUNT_UNCHANGED, field="proposed_monthly_fen")
        kind = CaseKind.INCREASE if proposed_monthly_fen > ent.monthly_fen else CaseKind.DECREASE
        case = adjustment_open(actor=actor, entitlement=ent, kind=kind, proposed_monthly_fen=proposed_monthly_fen,
                               reason=_("动态管理核查：%(r)s") % {"r": reason})
    elif outcome == ReviewOutcome.STOP:
        kind = CaseKind.TEKUN_TERMINATION if ent.program == Program.TEKUN else CaseKind.STOP
        case = adjustment_open(actor=actor, entitlement=ent, kind=kind, reason=_("动态管理核查：%(r)s") % {"r": reason})
    elif outcome == ReviewOutcome.GRACE:
        case = _grace_case(actor, task, ent, today, reason, GraceAsk(
            grace_months, income_rose_on, income_rise_reason, grace_special))
        grace_months = task.evaluation.result["grace"]["months"]
    task.outcome = outcome
    task.outcome_reason = reason
    task.proposed_monthly_fen = proposed_monthly_fen if outcome == ReviewOutcome.ADJUST else None
    task.grace_months = grace_months if outcome == ReviewOutcome.GRACE else None
    task.school_proof = school_proof[:200]
    task.case = case
    task.status = ReviewStatus.DONE
    task.decided_by = actor
    task.decided_on = today
    task.save()
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=task, region_code=task.household.region_id,
                 changes={"outcome": outcome, "case": case.pk if case else None,
                          "proposed_monthly_fen": task.proposed_monthly_fen, "grace_months": task.grace_months,
                          "school_proof": task.school_proof},
                 reason=reason)
    return task


def _special_check(task: ReviewTask, outcome: str, proposed: int | None, reason: str,
                   school_proof: str) -> tuple[int | None, str]:
    """A special-group program's outcome must be the engine's (``selectors.special_finding``) on an evaluation made
    in this review; returns the amount to propose (the engine's) and the reason with the engine's own reasons."""
    from doudi.core.money import format_yuan
    from doudi.reviews.selectors import special_finding

    found = special_finding(task)
    if found is None:
        raise ReviewError(_("请先重新测算：该项目的核查结论以本次复核测算结果为准"), code=Code.EVALUATION_REQUIRED,
                          field="outcome")
    if outcome != found.outcome:
        why = "；".join(found.reasons)
        raise ReviewError(_("核查结论须与复核测算一致：测算结果为“%(o)s”%(why)s。"
                            "如情况有误，请先更正家庭台账后重新测算")
                          % {"o": ReviewOutcome(found.outcome).label, "why": f"（{why}）" if why else ""},
                          code=Code.OUTCOME_NOT_ENGINES, field="outcome")
    if outcome == ReviewOutcome.ADJUST:
        if proposed not in (None, found.monthly_fen):
            raise ReviewError(_("调整后金额须为测算金额%(a)s元") % {"a": format_yuan(found.monthly_fen)},
                              code=Code.OUTCOME_NOT_ENGINES, field="proposed_monthly_fen")
        proposed = found.monthly_fen
    if found.school_extension and outcome != ReviewOutcome.STOP and not school_proof:
        # 民发〔2019〕62号: paid past the age only while in full-time school — re-confirmed at every review
        raise ReviewError(_("该对象凭全日制在校就读继续享受，须核实本次在读证明（写明学校、学期和证明材料）后方可继续；"
                            "已不在读的，请在家庭台账结束在校记录后重新测算"),
                          code=Code.SCHOOL_PROOF_REQUIRED, field="school_proof")
    if outcome == ReviewOutcome.STOP and found.last_month is not None:
        reason = _("%(r)s（测算：%(why)s，发放至%(m)s）") % {
            "r": reason, "why": "；".join(found.reasons), "m": f"{found.last_month:%Y年%m月}"}
    elif outcome == ReviewOutcome.STOP and found.reasons:
        reason = _("%(r)s（测算：%(why)s）") % {"r": reason, "why": "；".join(found.reasons)}
    return proposed, reason


@dataclass(frozen=True)
class GraceAsk:
    months: int | None
    rose_on: dt.date | None
    reason: str
    special: bool


def _grace_case(actor: User, task: ReviewTask, ent: Entitlement, today: dt.date, reason: str, ask: GraceAsk):
    """渐退 (S1 Art 33; S5 §1(3)) as the engine grants it: a fresh evaluation fed the rise and the entitlement's
    memory (``eligibility.adapter.current_input``) says the months (within the profile's range; excluded reasons
    stop at once; a period already granted is kept, never granted again) and the last paid month. The reviewer
    proposes it; a 渐退 case carries that evaluation to a second person's decision and the written notice
    (cases.services.decisions: the entitlement changes only when the case is approved)."""
    from doudi.accounts.scoping import allows
    from doudi.cases.choices import CaseKind
    from doudi.cases.services import adjustment_open
    from doudi.eligibility.services import evaluation_run, income_rose_on

    if not allows(actor, Action.DECIDE, task.household.region_id):
        raise NotFoundOrForbidden(_("未找到该核查任务，或不在您的辖区内"))
    if ent.program != Program.DIBAO:
        raise ReviewError(_("渐退只适用于整户低保（最低生活保障审核确认办法第三十三条）"), code=Code.GRACE_DIBAO_ONLY,
                          field="outcome")
    if ask.months is not None and int(ask.months) < 1:
        raise ReviewError(_("渐退月数须为正整数"), code=Code.GRACE_MONTHS, field="grace_months")
    current = {"income_rise_reason": ask.reason, "grace_special": ask.special}
    if ask.months:
        current["grace_months"] = int(ask.months)
    # the rise is dated by the registry's income evidence (the engine finds from which record on the household is
    # above the line), not typed by hand; a date given by an API client counts only when no evidence dates it
    rose_on = ent.income_rose_on or income_rose_on(household=task.household, since=ent.start_month, until=today)
    rose_on = rose_on or ask.rose_on
    if rose_on:
        current["income_rose_on"] = rose_on.isoformat()
    evaluation = evaluation_run(actor=actor, household=task.household, as_of=today, extra={"current": current})
    g = evaluation.result["grace"]
    found = [*evaluation.result.get("rules", []), *evaluation.result.get("reasons", [])]
    texts = list(dict.fromkeys(r["text"] for r in found if str(r.get("code", "")).startswith("GRACE")))
    if not granted(g):
        why = "；".join(texts) or _("测算结果仍符合低保条件或不符合渐退条件")
        raise ReviewError(_("不能给予渐退期：%(r)s") % {"r": why}, code=Code.GRACE_NOT_GRANTED, field="grace_months")
    task.evaluation = evaluation
    months, last = g["months"], g["last_paid_month"]
    return adjustment_open(actor=actor, entitlement=ent, kind=CaseKind.GRACE, evaluation=evaluation,
                           reason=_("动态管理核查：%(r)s（渐退%(n)s个月，最后发放月份%(last)s）") % {
                               "r": "；".join([reason, *texts]), "n": months, "last": last})
