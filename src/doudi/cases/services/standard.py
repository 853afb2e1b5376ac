"""The two workflows cases owns — standard (低保/特困) and adjustment — put together from the tables in
``cases.workflow``, the effects in ``steps``/``decisions`` and the deadlines in ``deadlines``. Registered at start-up
by ``CasesConfig.ready``; other apps register theirs the same way (``doudi.temporary.workflows``)."""

from __future__ import annotations

from doudi.cases import workflow
from doudi.cases.choices import State, Workflow
from doudi.cases.services import decisions, steps
from doudi.cases.services.deadlines import STANDARD_DEADLINES

STANDARD_EFFECTS = {
    State.ACCEPTED: steps.to_accepted,
    State.RETURNED: steps.to_returned,
    State.VERIFYING: steps.to_verifying,
    State.TOWNSHIP_REVIEWED: steps.to_township_reviewed,
    State.PUBLIC_NOTICE: steps.to_public_notice,
    State.OBJECTION: steps.to_objection,
    State.DECIDED_APPROVED: decisions.to_approved,
    State.DECIDED_REJECTED: decisions.to_rejected,
    State.TERMINATED: steps.to_terminated,
}

STANDARD = workflow.WorkflowSpec(table=workflow.STANDARD, effects=STANDARD_EFFECTS, deadlines=STANDARD_DEADLINES)

ADJUSTMENT = workflow.WorkflowSpec(
    table=workflow.ADJUSTMENT,
    effects={
        **STANDARD_EFFECTS,
        State.TOWNSHIP_REVIEWED: steps.adjustment_reviewed,
        State.DECIDED_APPROVED: decisions.adjustment_approved,
    },
    deadlines=STANDARD_DEADLINES,
)


def register() -> None:
    workflow.register_workflow(Workflow.STANDARD, STANDARD)
    workflow.register_workflow(Workflow.ADJUSTMENT, ADJUSTMENT)
