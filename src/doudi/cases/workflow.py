"""The transition tables: for each workflow, state → {next state: who may take that step}.

Nothing moves a case except ``services.case_transition``, which reads these tables. A step not listed is illegal.
``TOWNSHIP`` steps need the ``change`` action from a township-level (or higher) grant over the case's village;
``VILLAGE`` steps accept a village assistant too; ``DECIDER`` steps need ``decide`` at the case's authority level
(county unless the locality delegated confirmation to the township, S1 Art 2 / S4 item 24).
"""

from __future__ import annotations

from doudi.cases.choices import State, Workflow

VILLAGE = "village"
TOWNSHIP = "township"
DECIDER = "decider"

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

# 急难型: advance aid first (先行救助, S6 §2(2)), paperwork completed afterwards;
# verification and notice may be skipped.
EMERGENCY: dict[str, dict[str, str]] = {
    S.SUBMITTED: {S.ADVANCE_PAID: TOWNSHIP, S.DECIDED_REJECTED: DECIDER, S.TERMINATED: TOWNSHIP},
    S.ADVANCE_PAID: {S.CLOSED: TOWNSHIP},
}

# 支出型: the normal review and approval process (S4 item 15), then staged payments until closed.
EXPENDITURE: dict[str, dict[str, str]] = {**STANDARD, S.DECIDED_APPROVED: {S.CLOSED: TOWNSHIP}}

# Increase / decrease / stop, and 特困 termination (S2 Art 24–26: 7-day notice of the proposed termination).
ADJUSTMENT: dict[str, dict[str, str]] = {
    S.SUBMITTED: {S.INVESTIGATING: TOWNSHIP, S.TERMINATED: TOWNSHIP},
    S.INVESTIGATING: {S.TOWNSHIP_REVIEWED: TOWNSHIP, S.TERMINATED: TOWNSHIP},
    S.TOWNSHIP_REVIEWED: {S.PUBLIC_NOTICE: TOWNSHIP, S.DECIDED_APPROVED: DECIDER, S.DECIDED_REJECTED: DECIDER},
    S.PUBLIC_NOTICE: {S.OBJECTION: TOWNSHIP, S.DECIDED_APPROVED: DECIDER, S.DECIDED_REJECTED: DECIDER},
    S.OBJECTION: {S.REINVESTIGATING: TOWNSHIP},
    S.REINVESTIGATING: {S.PUBLIC_NOTICE: TOWNSHIP, S.DECIDED_REJECTED: DECIDER},
}

TABLES: dict[str, dict[str, dict[str, str]]] = {
    Workflow.STANDARD: STANDARD,
    Workflow.EMERGENCY: EMERGENCY,
    Workflow.EXPENDITURE: EXPENDITURE,
    Workflow.ADJUSTMENT: ADJUSTMENT,
}


def allowed_next(workflow: str, state: str) -> dict[str, str]:
    return TABLES[workflow].get(state, {})
