"""The case workflows, pluggable: each is a table of allowed transitions plus what each step does, registered by
the app that owns it. ``services.case_transition`` is the one function that moves a case; it reads the registered
``WorkflowSpec`` of the case's workflow. A step not in the table is illegal.

Table format: state → {next state: who may take that step}. ``TOWNSHIP`` steps need the ``change`` action from a
township-level (or higher) grant over the case's village; ``VILLAGE`` steps accept a village assistant too;
``DECIDER`` steps need ``decide`` at the case's authority level (county unless the locality delegated confirmation
to the township, S1 Art 2 / S4 item 24).

Who registers what (at start-up, in each app's ``AppConfig.ready``): cases registers the standard (低保/特困) and
adjustment workflows (``services/standard.py``); the temporary app registers the emergency and expenditure
workflows and the intake of temporary assistance (``doudi.temporary.workflows``). The State and Workflow
vocabularies stay here because they are the case's own columns; what happens on a step belongs to the workflow.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured

from doudi.cases.choices import AuthorityLevel, State, Workflow

if TYPE_CHECKING:
    from doudi.accounts.models import User
    from doudi.cases.models import Case, LocalitySetting

VILLAGE = "village"
TOWNSHIP = "township"
DECIDER = "decider"

Table = Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class StepData:
    """A step's own inputs, beyond the reason every step takes; each effect reads the ones its step needs."""

    missing_items: Sequence[str] = ()  # 退回: every item to supply, listed at once
    reasons: Sequence[str] = ()  # 不予批准: the reasons written in the notice
    content: str = ""  # 异议: what the objection says
    amount_fen: int | None = None  # 先行救助: the amount paid now (the requested amount when None)
    approved_fen: int | None = None  # 临时救助 初审: the amount proposed (the requested amount when None)
    signed_by: Sequence[str] = ()  # 补齐手续: who signed the paperwork


# An effect checks a step's preconditions (raising ``CaseError``, which writes nothing) and applies its effects, on
# the locked case: effect(actor, case, today, reason, data). ``data`` holds the step's own inputs.
Effect = Callable[["User", "Case", dt.date, str, StepData], None]
# A deadline sets the case's step (and overall) due dates when it enters a state: deadline(case, today).
Deadline = Callable[["Case", dt.date], None]


@dataclass(frozen=True)
class WorkflowSpec:
    table: Table
    effects: Mapping[str, Effect]  # target state → its checks and effects (a state not listed: nothing to do)
    deadlines: Mapping[str, Deadline]  # target state → new due dates (a state not listed: dates unchanged)
    step_fields: Mapping[str, str] = field(default_factory=dict)  # target state → template of the step's inputs
    panel: str = ""  # template on the case page for the workflow's own records ("" for none)
    # Maker-checker (issue 9): whoever investigated the case or moved it into a ``review_states`` state may not move
    # it into an ``approval_states`` state.
    review_states: frozenset[str] = frozenset({State.TOWNSHIP_REVIEWED})
    approval_states: frozenset[str] = frozenset({State.DECIDED_APPROVED})


@dataclass(frozen=True)
class TemporaryDetails:
    """What an application for temporary assistance says about it (the form, the API, a monitoring warning); the
    temporary app's intake reads it."""

    type: str  # TemporaryType: emergency or expenditure
    cause: str  # TemporaryCause
    requested_fen: int
    severity: str = "general"  # rules.kinds.TEMP_SEVERITY
    stages: int = 1
    occurred_on: dt.date | None = None


class ProgramIntake:
    """How intake opens the case of one program. The default opens a standard case; a program with details of its
    own at intake (temporary assistance) registers a subclass."""

    def check(self, details: TemporaryDetails | None) -> None:
        """Refuse bad details before anything is written (raise ``CaseError``)."""

    def workflow(self, details: TemporaryDetails | None) -> str:
        return Workflow.STANDARD

    def authority_level(self, details: TemporaryDetails | None, setting: LocalitySetting) -> str:
        return AuthorityLevel.TOWNSHIP if setting.township_confirms else AuthorityLevel.COUNTY

    def step_due(self, details: TemporaryDetails | None, today: dt.date, region=None) -> dt.date | None:
        return None

    def opened(self, case: Case, details: TemporaryDetails | None) -> None:
        """Create the program's own records for the new case."""


S = State

# 低保/特困: S1 Art 10–22, S2 Art 10–18. Democratic appraisal only after an objection (S1 Art 19 ¶2; S4 item 24).
STANDARD: dict[str, dict[str, str]] = {
    S.SUBMITTED: {S.ACCEPTED: TOWNSHIP, S.RETURNED: TOWNSHIP, S.TERMINATED: TOWNSHIP},
    S.RETURNED: {S.SUBMITTED: VILLAGE, S.TERMINATED: TOWNSHIP},
    S.ACCEPTED: {S.VERIFYING: TOWNSHIP, S.TERMINATED: TOWNSHIP},
    S.VERIFYING: {S.INVESTIGATING: TOWNSHIP, S.TERMINATED: TOWNSHIP},
    S.INVESTIGATING: {S.TOWNSHIP_REVIEWED: TOWNSHIP, S.TERMINATED: TOWNSHIP},
    S.TOWNSHIP_REVIEWED: {S.PUBLIC_NOTICE: TOWNSHIP, S.DECIDED_REJECTED: DECIDER},
    S.PUBLIC_NOTICE: {S.OBJECTION: TOWNSHIP, S.DECIDED_APPROVED: DECIDER, S.DECIDED_REJECTED: DECIDER},
    S.OBJECTION: {S.REINVESTIGATING: TOWNSHIP},
    S.REINVESTIGATING: {S.PUBLIC_NOTICE: TOWNSHIP, S.DECIDED_REJECTED: DECIDER, S.TERMINATED: TOWNSHIP},
}

# Increase / decrease / stop, and 特困 termination (S2 Art 24–26: 7-day notice of the proposed termination).
ADJUSTMENT: dict[str, dict[str, str]] = {
    S.SUBMITTED: {S.INVESTIGATING: TOWNSHIP, S.TERMINATED: TOWNSHIP},
    S.INVESTIGATING: {S.TOWNSHIP_REVIEWED: TOWNSHIP, S.TERMINATED: TOWNSHIP},
    S.TOWNSHIP_REVIEWED: {S.PUBLIC_NOTICE: TOWNSHIP, S.DECIDED_APPROVED: DECIDER, S.DECIDED_REJECTED: DECIDER},
    S.PUBLIC_NOTICE: {S.OBJECTION: TOWNSHIP, S.DECIDED_APPROVED: DECIDER, S.DECIDED_REJECTED: DECIDER},
    S.OBJECTION: {S.REINVESTIGATING: TOWNSHIP},
    S.REINVESTIGATING: {S.PUBLIC_NOTICE: TOWNSHIP, S.DECIDED_REJECTED: DECIDER},
}

_WORKFLOWS: dict[str, WorkflowSpec] = {}
_INTAKES: dict[str, ProgramIntake] = {}
STANDARD_INTAKE = ProgramIntake()


def register_workflow(name: str, spec: WorkflowSpec) -> None:
    if name not in Workflow.values:
        raise ImproperlyConfigured(f"unknown workflow {name!r}: add it to cases.choices.Workflow first")
    _WORKFLOWS[name] = spec


def workflow_spec(name: str) -> WorkflowSpec:
    try:
        return _WORKFLOWS[name]
    except KeyError:  # the app that owns this workflow is not installed: fail loudly, never move the case
        raise ImproperlyConfigured(f"no workflow registered for {name!r}") from None


def registered_workflows() -> dict[str, WorkflowSpec]:
    return dict(_WORKFLOWS)


def allowed_next(workflow: str, state: str) -> Mapping[str, str]:
    return workflow_spec(workflow).table.get(state, {})


def register_intake(program: str, intake: ProgramIntake) -> None:
    _INTAKES[program] = intake


def program_intake(program: str) -> ProgramIntake:
    return _INTAKES.get(program, STANDARD_INTAKE)
