"""The two temporary-assistance workflows and the intake of a temporary-assistance application, plugged into the
case workflow (``doudi.cases.workflow`` explains the plug-in). Registered at start-up by ``TemporaryConfig.ready``.

急难型 (emergency): advance aid first (先行救助, S6 §2(2)), paperwork completed afterwards; verification and notice
may be skipped. 支出型 (expenditure): the standard review and approval (S4 item 15), then staged payments until
closed. Both reuse the standard steps of ``doudi.cases`` and add their own (``steps``).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.benefits.choices import Program
from doudi.cases import workflow
from doudi.cases.choices import AuthorityLevel, State, TemporaryType, Workflow
from doudi.cases.errors import CaseError
from doudi.cases.models import Case, LocalitySetting
from doudi.cases.selectors import case_timelines, temporary_limits
from doudi.cases.services.deadlines import STANDARD_DEADLINES, no_step_due
from doudi.cases.services.standard import STANDARD_EFFECTS
from doudi.core.workdays import add_working_days
from doudi.temporary import steps
from doudi.temporary.errors import Code
from doudi.temporary.models import TemporaryRequest

S, TOWNSHIP, DECIDER = State, workflow.TOWNSHIP, workflow.DECIDER

EMERGENCY_TABLE: dict[str, dict[str, str]] = {
    S.SUBMITTED: {S.ADVANCE_PAID: TOWNSHIP, S.DECIDED_REJECTED: DECIDER, S.TERMINATED: TOWNSHIP},
    S.ADVANCE_PAID: {S.CLOSED: TOWNSHIP},
}

EXPENDITURE_TABLE: dict[str, dict[str, str]] = {**workflow.STANDARD, S.DECIDED_APPROVED: {S.CLOSED: TOWNSHIP}}


def _due(today: dt.date, workdays: int | None) -> dt.date | None:
    return None if workdays is None else add_working_days(today, workdays)


def paperwork_due(case: Case, today: dt.date) -> None:
    # No national limit for completing the paperwork: the profile's procedure.advance_paperwork_workdays (示意).
    case.step_due = _due(today, case_timelines(case, day=today).advance_paperwork_workdays)


def first_payment_due(case: Case, today: dt.date) -> None:
    case.step_due = _due(today, case_timelines(case, day=today).temporary_payment_workdays)


EMERGENCY = workflow.WorkflowSpec(
    table=EMERGENCY_TABLE,
    effects={**STANDARD_EFFECTS, S.ADVANCE_PAID: steps.advance_paid, S.CLOSED: steps.emergency_closed},
    deadlines={**STANDARD_DEADLINES, S.ADVANCE_PAID: paperwork_due, S.CLOSED: no_step_due},
    step_fields={S.ADVANCE_PAID: "temporary/_step_advance.html", S.CLOSED: "temporary/_step_signatures.html"},
    panel="temporary/_case_panel.html",
)

EXPENDITURE = workflow.WorkflowSpec(
    table=EXPENDITURE_TABLE,
    effects={
        **STANDARD_EFFECTS,
        S.TOWNSHIP_REVIEWED: steps.expenditure_reviewed,
        S.PUBLIC_NOTICE: steps.expenditure_notice,
        S.DECIDED_APPROVED: steps.expenditure_approved,
        S.CLOSED: steps.expenditure_closed,
    },
    deadlines={**STANDARD_DEADLINES, S.DECIDED_APPROVED: first_payment_due, S.CLOSED: no_step_due},
    step_fields={S.TOWNSHIP_REVIEWED: "temporary/_step_approved.html"},
    panel="temporary/_case_panel.html",
)


class TemporaryIntake(workflow.ProgramIntake):
    """A temporary-assistance application: its type picks the workflow, its amount who approves it."""

    def check(self, details: workflow.TemporaryDetails | None) -> None:
        if not details:
            raise CaseError(_("临时救助须填写类型、原因和申请金额"), code=Code.TEMPORARY_DETAILS_REQUIRED)
        if details.requested_fen <= 0:
            raise CaseError(_("申请金额须大于零"), code=Code.INVALID_AMOUNT, field="requested_fen")

    def workflow(self, details: workflow.TemporaryDetails | None) -> str:
        return Workflow.EMERGENCY if details.type == TemporaryType.EMERGENCY else Workflow.EXPENDITURE

    def authority_level(self, details: workflow.TemporaryDetails | None, setting: LocalitySetting) -> str:
        # Small amounts are approved by the township (S3 Art 48; S6 §2(2)): the profile's temporary.township_limit.
        limit = temporary_limits(setting.region, day=timezone.localdate()).township_limit_fen
        if limit is not None and details.requested_fen <= limit:
            return AuthorityLevel.TOWNSHIP
        return AuthorityLevel.COUNTY

    def step_due(self, details: workflow.TemporaryDetails | None, today: dt.date, region=None) -> dt.date | None:
        if self.workflow(details) != Workflow.EMERGENCY or region is None:
            return None
        # Advance aid within the profile's temporary.emergency_payment_hours (e.g. [004] 五: 24 hours); none set,
        # no deadline of that kind.
        hours = temporary_limits(region, day=today).emergency_payment_hours
        return today + dt.timedelta(days=-(-hours // 24)) if hours else None

    def opened(self, case: Case, details: workflow.TemporaryDetails | None) -> None:
        TemporaryRequest.objects.create(
            case=case, type=details.type, cause=details.cause, requested_fen=details.requested_fen,
            stages=details.stages or 1, occurred_on=details.occurred_on,
            severity=details.severity or "general",
        )


def register() -> None:
    workflow.register_workflow(Workflow.EMERGENCY, EMERGENCY)
    workflow.register_workflow(Workflow.EXPENDITURE, EXPENDITURE)
    workflow.register_intake(Program.TEMPORARY, TemporaryIntake())
