"""Deadlines of the standard steps (national-rules §1.6, §2.2), in working days on the core calendar: each sets the
case's step (and overall) due date when it enters a state. Public-notice periods are calendar days. Every count is
the profile's ``procedure.*`` timeline (``selectors.case_timelines``; the national values by default): a locality
that sets its own changes them without code; a count the profile does not set gives no deadline."""

from __future__ import annotations

import datetime as dt

from doudi.benefits.choices import Program
from doudi.cases.choices import AuthorityLevel, State, Workflow
from doudi.cases.models import Case
from doudi.cases.selectors import case_timelines
from doudi.core.workdays import add_working_days


def _delegated(case: Case) -> bool:
    return case.authority_level == AuthorityLevel.TOWNSHIP and case.workflow == Workflow.STANDARD


def _after(day: dt.date | None, workdays: int | None) -> dt.date | None:
    return None if day is None or workdays is None else add_working_days(day, workdays)


def notice_end(case: Case, *, today: dt.date, days: int | None = None) -> dt.date:
    """Last day of a public notice that starts ``today`` (公示期, calendar days; S1 Art 19; S2 Art 15, 26)."""
    t = case_timelines(case, day=today)
    days = days if days is not None else (t.notice_days or 0)
    return today + dt.timedelta(days=max(days, 1) - 1)


def accepted(case: Case, today: dt.date) -> None:
    # Overall: 30 working days, 45 in special cases (S1 Art 22); 20 when delegated to the township (S5 §4(1)).
    t = case_timelines(case, day=today)
    total = (t.total_special_workdays if case.special_extension
             else t.total_delegated_workdays if _delegated(case) else t.total_workdays)
    case.overall_due = _after(today, total)
    case.step_due = _after(today, t.investigation_start_workdays)  # start the investigation (S1 Art 15)


def investigating(case: Case, today: dt.date) -> None:
    # 特困: first-review opinion within the profile's days of acceptance (S2 Art 13).
    if case.program == Program.TEKUN:
        case.step_due = _after(case.accepted_on or today, case_timelines(case, day=today).tekun_first_review_workdays)
    else:
        case.step_due = case.overall_due


def township_reviewed(case: Case, today: dt.date) -> None:
    case.step_due = case.overall_due


def public_notice(case: Case, today: dt.date) -> None:
    # County opinion after the notice (S1 Art 20); 特困 (S2 Art 16).
    t = case_timelines(case, day=today)
    days = t.tekun_county_workdays if case.program == Program.TEKUN else t.county_opinion_workdays
    case.step_due = _after(notice_end(case, today=today), days)


def objection(case: Case, today: dt.date) -> None:
    t = case_timelines(case, day=today)
    case.step_due = _after(today, t.tekun_objection_workdays)  # S2 Art 15 ¶2 / S2 Art 26
    if _delegated(case) and case.accepted_on:
        case.overall_due = _after(case.accepted_on, t.total_delegated_special_workdays)  # S5 §4(1)


def rejected(case: Case, today: dt.date) -> None:
    # written notice with reasons (S1 Art 21; S2 Art 18)
    case.step_due = _after(today, case_timelines(case, day=today).rejection_notice_workdays)


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

# Which profile values set each step's deadline above (for showing the limit next to the time a step took; the
# deadline itself is always the one stored when the step began). "total" is the overall limit of a decision.
STEP_LIMIT_KEYS: dict[str, tuple[str, ...]] = {
    State.ACCEPTED: ("procedure.investigation_start_workdays",),
    State.INVESTIGATING: ("procedure.tekun_first_review_workdays", "procedure.total_workdays"),
    State.TOWNSHIP_REVIEWED: ("procedure.total_workdays",),
    State.PUBLIC_NOTICE: ("procedure.notice_days", "procedure.county_opinion_workdays",
                          "procedure.tekun_county_workdays"),
    State.OBJECTION: ("procedure.tekun_objection_workdays", "procedure.total_delegated_special_workdays"),
    State.REINVESTIGATING: ("procedure.tekun_objection_workdays",),
    State.DECIDED_REJECTED: ("procedure.rejection_notice_workdays",),
    "total": ("procedure.total_workdays", "procedure.total_delegated_workdays", "procedure.total_special_workdays"),
}
