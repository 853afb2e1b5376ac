"""Deadlines of the standard steps (national-rules §1.6, §2.2), in working days on the core calendar: each sets the
case's step (and overall) due date when it enters a state. Public-notice periods are calendar days."""

from __future__ import annotations

import datetime as dt

from doudi.benefits.choices import Program
from doudi.cases.choices import AuthorityLevel, State, Workflow
from doudi.cases.models import Case
from doudi.cases.services.steps import NOTICE_DAYS
from doudi.core.workdays import add_working_days


def _delegated(case: Case) -> bool:
    return case.authority_level == AuthorityLevel.TOWNSHIP and case.workflow == Workflow.STANDARD


def accepted(case: Case, today: dt.date) -> None:
    # Overall: 30 working days, 45 in special cases (S1 Art 22); 20 when delegated to the township (S5 §4(1)).
    total = 45 if case.special_extension else (20 if _delegated(case) else 30)
    case.overall_due = add_working_days(today, total)
    case.step_due = add_working_days(today, 3)  # start the investigation within 3 working days (S1 Art 15)


def investigating(case: Case, today: dt.date) -> None:
    # 特困: first-review opinion within 15 working days of acceptance (S2 Art 13).
    tekun = case.program == Program.TEKUN
    case.step_due = add_working_days(case.accepted_on or today, 15) if tekun else case.overall_due


def township_reviewed(case: Case, today: dt.date) -> None:
    case.step_due = case.overall_due


def public_notice(case: Case, today: dt.date) -> None:
    notice_end = today + dt.timedelta(days=NOTICE_DAYS - 1)
    # County opinion within 10 working days of receiving the materials (S1 Art 20); 特困 15 (S2 Art 16).
    case.step_due = add_working_days(notice_end, 15 if case.program == Program.TEKUN else 10)


def objection(case: Case, today: dt.date) -> None:
    case.step_due = add_working_days(today, 15)  # S2 Art 15 ¶2 / S2 Art 26
    if _delegated(case) and case.accepted_on:
        case.overall_due = add_working_days(case.accepted_on, 45)  # objection at notice (S5 §4(1))


def rejected(case: Case, today: dt.date) -> None:
    case.step_due = add_working_days(today, 3)  # written notice with reasons (S1 Art 21; S2 Art 18)


def no_step_due(case: Case, today: dt.date) -> None:
    case.step_due = None


STANDARD_DEADLINES = {
    State.ACCEPTED: accepted,
    State.RETURNED: no_step_due,
    State.INVESTIGATING: investigating,
    State.TOWNSHIP_REVIEWED: township_reviewed,
    State.PUBLIC_NOTICE: public_notice,
    State.OBJECTION: objection,
    State.REINVESTIGATING: objection,
    State.DECIDED_REJECTED: rejected,
    State.DECIDED_APPROVED: no_step_due,
    State.TERMINATED: no_step_due,
}
