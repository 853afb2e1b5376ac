"""特困 support arrangements (集中/分散供养, the person's own choice) and the annual self-care assessment.

The care tier is the engine's: the assessment is stored as the registry's dated evidence
(``registry.SelfCareAssessment``, the six activities of S2 Art 21), the household is evaluated, and the tier the
engine returns for the person is recorded on the arrangement. No tier rule is written here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, snapshot
from doudi.benefits.choices import EntitlementStatus, Program
from doudi.benefits.models import Entitlement
from doudi.care.choices import SupportMode, VisitGroup
from doudi.care.errors import CareError, Code
from doudi.care.models import Institution, SupportArrangement, VisitTarget
from doudi.care.services.common import engine_tier, person_household
from doudi.core.errors import NotFoundOrForbidden
from doudi.eligibility.models import Evaluation
from doudi.eligibility.services import evaluation_run
from doudi.registry.models import Person, SelfCareAssessment
from doudi.registry.services import evidence_add, evidence_end

if TYPE_CHECKING:
    from doudi.accounts.models import User


def live_tekun(person_id: int, *, day: dt.date) -> Entitlement | None:
    month = day.replace(day=1)
    return (Entitlement.objects.filter(person_id=person_id, program=Program.TEKUN,
                                       status__in=[EntitlementStatus.ACTIVE, EntitlementStatus.GRACE],
                                       start_month__lte=month)
            .filter(Q(end_month__isnull=True) | Q(end_month__gte=month)).first())


def _latest_tier(household, person_id: int) -> tuple[str, Evaluation | None]:
    evaluation = Evaluation.objects.filter(household=household).order_by("-as_of", "-id").first()
    return (engine_tier(evaluation, person_id=person_id), evaluation) if evaluation else ("", None)


@transaction.atomic
def arrangement_create(*, actor: User, person: Person, mode: str, chosen_mode: str, start_date: dt.date,
                       choice_note: str = "", institution: Institution | None = None,
                       bed: str = "") -> SupportArrangement:
    """Record how a 特困 person is supported. A dispersed person joins the visiting list ([002] 二(二))."""
    household = person_household(actor, person=person, day=start_date)
    if mode not in SupportMode.values or chosen_mode not in SupportMode.values:
        raise CareError(_("请选择供养方式和本人意愿"), code=Code.REQUIRED, field="mode")
    if live_tekun(person.pk, day=start_date) is None:
        raise CareError(_("该人员没有在保的特困人员救助供养待遇，不能安排供养"), code=Code.NOT_TEKUN)
    if SupportArrangement.objects.filter(person=person, end_date__isnull=True).exists():
        raise CareError(_("该人员已有在执行的供养安排，请先终止原安排"), code=Code.OPEN_ARRANGEMENT)
    if mode == SupportMode.INSTITUTIONAL:
        if institution is None or not Institution.objects.restrict(actor, Action.VIEW).filter(
                pk=institution.pk).exists():
            raise CareError(_("集中供养须选择辖区内的供养服务机构"), code=Code.INSTITUTION_REQUIRED,
                            field="institution")
    else:
        institution, bed = None, ""
    if mode != chosen_mode and not choice_note.strip():
        # [002] 二(二): the person's wish decides; an arrangement against it must say why.
        raise CareError(_("供养方式与本人意愿不一致时须写明原因"), code=Code.REQUIRED, field="choice_note")
    tier, evaluation = _latest_tier(household, person.pk)
    arrangement = SupportArrangement.objects.create(
        person=person, household=household, region_id=household.region_id, mode=mode, chosen_mode=chosen_mode,
        choice_note=choice_note.strip()[:300], institution=institution, bed=bed.strip()[:20], care_tier=tier,
        evaluation=evaluation, start_date=start_date, created_by=actor)
    if mode == SupportMode.DISPERSED:
        VisitTarget.objects.get_or_create(
            person=person, group=VisitGroup.DISPERSED_TEKUN, until=None,
            defaults={"household": household, "region_id": household.region_id, "since": start_date,
                      "note": _("分散供养自动纳入")})
    audit_record(actor=actor, action=AuditAction.CREATE, obj=arrangement, region_code=household.region_id,
                 changes=snapshot(arrangement))
    return arrangement


@transaction.atomic
def arrangement_end(*, actor: User, arrangement: SupportArrangement | int, end_date: dt.date,
                    reason: str) -> SupportArrangement:
    pk = getattr(arrangement, "pk", arrangement)
    found = SupportArrangement.objects.restrict(actor, Action.DECIDE).select_for_update().filter(pk=pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该供养安排，或不在您的辖区内"))
    if found.end_date is not None:
        raise CareError(_("该供养安排已终止"), code=Code.BAD_STATE)
    if found.agreements.exclude(status="ended").exists():
        raise CareError(_("请先终止该安排下的照料服务协议"), code=Code.OPEN_AGREEMENT)
    if not reason.strip():
        raise CareError(_("请填写终止原因"), code=Code.REQUIRED, field="reason")
    found.end_date = end_date
    found.save(update_fields=["end_date"])
    VisitTarget.objects.filter(person=found.person, group=VisitGroup.DISPERSED_TEKUN, until__isnull=True).update(
        until=end_date)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=found, region_code=found.region_id,
                 changes={"end_date": [None, end_date.isoformat()]}, reason=reason)
    return found


@transaction.atomic
def assessment_record(*, actor: User, person: Person, assessed_on: dt.date, abilities: dict[str, bool],
                      note: str = "") -> tuple[SelfCareAssessment, str]:
    """The annual self-care assessment: stored as dated evidence, then the household is evaluated and the engine's
    care tier for the person is recorded on their open arrangement. Returns (assessment, tier)."""
    household = person_household(actor, person=person, day=assessed_on)
    if assessed_on > timezone.localdate():
        raise CareError(_("评估日期不能晚于今天"), code=Code.BAD_DATE, field="assessed_on")
    missing = [a for a in SelfCareAssessment.ACTIVITIES if a not in abilities]
    if missing:
        raise CareError(_("请逐项填写六项日常生活活动"), code=Code.REQUIRED, field=missing[0])
    for prior in SelfCareAssessment.objects.filter(person=person, valid_to__isnull=True):
        if prior.valid_from >= assessed_on:
            raise CareError(_("已有同日或更晚的评估，请核对评估日期"), code=Code.BAD_DATE, field="assessed_on")
        evidence_end(actor=actor, evidence=prior, valid_to=assessed_on - dt.timedelta(days=1),
                     reason=_("新一年度评估"))
    assessment = evidence_add(actor=actor, person=person, evidence_type="selfcareassessment",
                              valid_from=assessed_on, source="investigated", note=note.strip()[:200],
                              **{a: bool(abilities[a]) for a in SelfCareAssessment.ACTIVITIES})
    evaluation = evaluation_run(actor=actor, household=household, as_of=assessed_on)
    tier = engine_tier(evaluation, person_id=person.pk)
    open_arrangement = SupportArrangement.objects.filter(person=person, end_date__isnull=True).first()
    if open_arrangement is not None and tier:
        old = open_arrangement.care_tier
        open_arrangement.care_tier, open_arrangement.evaluation = tier, evaluation
        open_arrangement.save(update_fields=["care_tier", "evaluation"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=open_arrangement,
                     region_code=open_arrangement.region_id, changes={"care_tier": [old, tier]})
    return assessment, tier
