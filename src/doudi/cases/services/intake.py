"""Intake: one application (一证一书) opening one case per requested program."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.benefits.choices import Program
from doudi.cases.choices import AuthorityLevel, CaseKind, Channel, Place, State, Workflow
from doudi.cases.errors import CaseError, Code
from doudi.cases.models import Application, Case, Feedback
from doudi.cases.selectors import locality
from doudi.cases.workflow import TemporaryDetails, program_intake
from doudi.core.errors import NotFoundOrForbidden
from doudi.regions.choices import Level
from doudi.regions.models import Region
from doudi.registry.models import Household, Membership, Person
from doudi.rules.grace import granted

if TYPE_CHECKING:
    from doudi.accounts.models import User

CASE_PROGRAMS = {Program.DIBAO, Program.DIBAO_SINGLE, Program.TEKUN, Program.TEMPORARY, Program.ORPHAN,
                 Program.DISABLED_LIVING, Program.DISABLED_CARE}


def _in_scope(actor: User, region: Region, action: str) -> bool:
    from doudi.accounts.scoping import allows

    return allows(actor, action, region.code)


def applicant_tell(application: Application, *, text: str, case: Case | None = None,
                   fields: tuple[str, ...] = ()) -> None:
    """Send one line back to the applicant (多线受理、一门反馈): the latest stays on the application (saved with
    ``fields``), every line is kept as a ``Feedback`` row. The one way any step talks to the applicant."""
    application.feedback = text[:300]
    application.save(update_fields=[*fields, "feedback"])
    Feedback.objects.create(application=application, case=case, text=text[:300])


def _handling_region(*, household: Household, place: str, programs: list[str],
                     emergency_region: Region | None) -> Region:
    """The village that handles the application: the household's, or for temporary assistance the place of the
    emergency, whatever the hukou (S7 §4(3); S5 §4(3))."""
    if place == Place.EMERGENCY:
        if emergency_region is None or emergency_region.level != Level.VILLAGE:
            raise CaseError(_("请选择急难发生地所在村（社区）"), code=Code.EMERGENCY_REGION_REQUIRED)
        if set(programs) != {Program.TEMPORARY}:
            raise CaseError(_("在急难发生地申请只适用于临时救助"), code=Code.EMERGENCY_PLACE_TEMPORARY_ONLY)
        return emergency_region
    if place == Place.RESIDENCE and not household.has_residence_permit:
        raise CaseError(_("在居住地申请需持有居住证"), code=Code.RESIDENCE_PERMIT_REQUIRED)
    return household.region


def _program_details(program: str, temporary: TemporaryDetails | None) -> TemporaryDetails | None:
    """What the form says about one program: only temporary assistance has details of its own (type, cause,
    amount, stages), which its intake (registered by the temporary app) reads."""
    return temporary if program == Program.TEMPORARY else None


def _requested_programs(programs: list[str], temporary: TemporaryDetails | None) -> list[str]:
    programs = list(dict.fromkeys(programs))
    if not programs or any(p not in CASE_PROGRAMS for p in programs):
        raise CaseError(_("请至少选择一个救助项目（低保、特困、临时救助、孤儿和事实无人抚养儿童基本生活费、"
                          "残疾人两项补贴）"),
                        code=Code.PROGRAMS_REQUIRED, field="programs")
    for program in programs:
        program_intake(program).check(_program_details(program, temporary))
    return programs


def _open_cases(app: Application, *, programs: list[str], temporary: TemporaryDetails | None, today: dt.date) -> None:
    """One case per program, each in the workflow and at the authority level its program's intake chooses."""
    setting = locality(app.region)
    for program in programs:
        intake, details = program_intake(program), _program_details(program, temporary)
        case = Case.objects.create(
            application=app, household=app.household, region=app.region, program=program, kind=CaseKind.NEW,
            workflow=intake.workflow(details), state=State.SUBMITTED,
            authority_level=intake.authority_level(details, setting),
            step_due=intake.step_due(details, today, region=app.region),
        )
        intake.opened(case, details)


@transaction.atomic
def application_submit(
    *,
    actor: User,
    household: Household,
    applicant: Person,
    programs: list[str],
    channel: str,
    place: str = Place.HUKOU,
    commitment_signed: bool = False,
    entrustment: str = "",
    statement: str = "",
    special_needs: list[str] | None = None,
    emergency_region: Region | None = None,
    temporary: TemporaryDetails | None = None,
) -> Application:
    """``temporary``: the temporary-assistance details of the form (type, cause, requested_fen, stages,
    occurred_on), for the program's registered intake."""
    today = timezone.localdate()
    own = bool(actor.person_id) and Membership.objects.filter(
        household=household, person_id=actor.person_id
    ).as_of(today).exists()
    region = _handling_region(household=household, place=place, programs=programs, emergency_region=emergency_region)
    if not (own or _in_scope(actor, region, Action.CHANGE)):
        raise NotFoundOrForbidden(_("未找到该家庭，或不在您的辖区内"))
    if own and channel != Channel.SELF_SERVICE:
        channel = Channel.SELF_SERVICE
    if channel == Channel.VILLAGE_AGENT and not entrustment.strip():
        # S1 Art 6: an entrusted application needs the entrustment formalities.
        raise CaseError(_("村（社区）代办须登记委托手续"), code=Code.ENTRUSTMENT_REQUIRED, field="entrustment")
    if not Membership.objects.filter(household=household, person=applicant).as_of(today).exists():
        raise CaseError(_("申请人须为该家庭的共同生活成员"), code=Code.APPLICANT_NOT_MEMBER, field="applicant")
    programs = _requested_programs(programs, temporary)

    app = Application.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:18]}", household=household, applicant=applicant, region=region,
        channel=channel, place=place, programs=programs, special_needs=list(special_needs or []),
        commitment_signed=commitment_signed, entrustment=entrustment.strip(), statement=statement,
        submitted_by=actor,
    )
    app.number = f"SQ{today:%Y%m%d}{app.pk:06d}"
    app.save(update_fields=["number"])
    _open_cases(app, programs=programs, temporary=temporary, today=today)
    if app.special_needs:  # ticked special-assistance needs are referred, not kept as silent fields
        from doudi.referrals.services import referrals_for_application

        referrals_for_application(actor=actor, application=app)
    labels = "、".join(str(Program(p).label) for p in programs)
    applicant_tell(app,
                   text=_("已收到您的%(p)s申请（编号%(n)s），等待乡镇（街道）受理。") % {"p": labels, "n": app.number})
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=app, region_code=region.code,
        changes={"programs": programs, "channel": channel, "place": place},
    )
    return app


@transaction.atomic
def adjustment_open(*, actor: User, entitlement, kind: str, proposed_monthly_fen: int | None = None,
                    reason: str = "", evaluation=None) -> Case:
    """Open an increase/decrease/stop (or 特困 termination) case on an existing entitlement; a 渐退 case (kind grace)
    carries the ``evaluation`` in which the engine granted the period (a review opens it, a second person decides)."""
    from doudi.benefits.models import Entitlement

    ent = Entitlement.objects.restrict(actor, Action.CHANGE).filter(pk=entitlement.pk).select_related(
        "household__region").first()
    if ent is None:
        raise NotFoundOrForbidden(_("未找到该救助待遇，或不在您的辖区内"))
    if kind not in {CaseKind.INCREASE, CaseKind.DECREASE, CaseKind.STOP, CaseKind.TEKUN_TERMINATION, CaseKind.GRACE}:
        raise CaseError(_("未知的调整类型"), code=Code.INVALID_KIND)
    if kind == CaseKind.GRACE:
        if getattr(evaluation, "household_id", None) != ent.household_id \
                or not granted((evaluation.result or {}).get("grace")):
            raise CaseError(_("渐退须由复核测算核定渐退期后发起"), code=Code.GRACE_NOT_GRANTED, field="kind")
        proposed_monthly_fen = ent.monthly_fen  # paid at the amount it had until the last month of the period
    if kind == CaseKind.TEKUN_TERMINATION and ent.program != Program.TEKUN:
        raise CaseError(_("终止供养只适用于特困人员"), code=Code.NOT_TEKUN)
    if kind in {CaseKind.INCREASE, CaseKind.DECREASE}:
        if proposed_monthly_fen is None or proposed_monthly_fen <= 0:
            raise CaseError(_("请填写调整后的月救助金额"), code=Code.AMOUNT_REQUIRED, field="proposed_monthly_fen")
        if (kind == CaseKind.INCREASE) != (proposed_monthly_fen > ent.monthly_fen):
            raise CaseError(_("调整后金额与调整类型不符"), code=Code.AMOUNT_DIRECTION, field="proposed_monthly_fen")
    if Case.objects.filter(entitlement=ent).exclude(state__in=[State.DECIDED_APPROVED, State.DECIDED_REJECTED,
                                                                 State.TERMINATED, State.CLOSED]).exists():
        raise CaseError(_("该待遇已有正在办理的调整"), code=Code.ADJUSTMENT_OPEN)
    head = ent.person or Membership.objects.filter(household=ent.household).order_by("id").first().person
    app = Application.objects.create(
        number=f"tmp-{uuid.uuid4().hex[:18]}", household=ent.household, applicant=head, region=ent.household.region,
        channel=Channel.DISCOVERY, programs=[ent.program], statement=reason, commitment_signed=True,
        submitted_by=actor,
    )
    app.number = f"TZ{timezone.localdate():%Y%m%d}{app.pk:06d}"
    app.save(update_fields=["number"])
    setting = locality(ent.household.region)
    case = Case.objects.create(
        application=app, household=ent.household, region=ent.household.region, program=ent.program, kind=kind,
        workflow=Workflow.ADJUSTMENT, state=State.SUBMITTED, entitlement=ent,
        authority_level=AuthorityLevel.TOWNSHIP if setting.township_confirms else AuthorityLevel.COUNTY,
        proposed_monthly_fen=proposed_monthly_fen, evaluation=evaluation if kind == CaseKind.GRACE else None,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=case, region_code=case.region_id,
                 changes={"kind": kind, "entitlement": ent.pk}, reason=reason)
    return case


@transaction.atomic
def application_assist(*, actor: User, application: Application, entrustment: str,
                       supplied: list[str] | None = None) -> Application:
    """村（社区）代办 (S1 Art 6): the village assistant records the entrustment and the missing items they helped
    supply. Moving a returned case back to the township is a separate step (``case_transition`` → submitted)."""
    app = Application.objects.select_for_update().filter(pk=application.pk).select_related("region").first()
    if app is None or not _in_scope(actor, app.region, Action.CHANGE):
        raise NotFoundOrForbidden(_("未找到该申请，或不在您的辖区内"))
    if not entrustment.strip():
        raise CaseError(_("村（社区）代办须登记委托手续"), code=Code.ENTRUSTMENT_REQUIRED, field="entrustment")
    app.entrustment = entrustment.strip()[:200]
    fields = ["entrustment"]
    got = {str(x).strip() for x in supplied or [] if str(x).strip()}
    helped = sorted(set(app.missing_items) & got)
    if got:
        app.missing_items = [i for i in app.missing_items if i not in got]
        fields.append("missing_items")
    if helped:
        applicant_tell(app, text=_("村（社区）已协助补齐：%(items)s") % {"items": "、".join(helped)},
                       fields=tuple(fields))
    else:
        app.save(update_fields=fields)
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=app, region_code=app.region_id,
                 changes={"entrustment": app.entrustment, "supplied": sorted(got)})
    return app
