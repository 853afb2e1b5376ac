"""Adapters to other apps, each in one small function so tests can replace it and the import stays optional."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from doudi.accounts.models import User
    from doudi.cases.models import Case
    from doudi.verification.models import VerificationRequest


@dataclass
class CaseOutcome:
    eligible: bool
    monthly_fen: int
    person_ids: list[int] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    evaluation: object | None = None
    covered_members: int = 0


# The engine has one 低保 result; a single-person (单人户) case reads it too (its ``single_person`` flag says which).
ENGINE_PROGRAM = {"dibao_single": "dibao"}


def case_outcome(*, actor: User, case, as_of: dt.date) -> CaseOutcome:
    """Run the rules engine for the case's household and read this program's result (eligibility app contract)."""
    from doudi.eligibility.selectors import program_outcome
    from doudi.eligibility.services import evaluation_run

    evaluation = evaluation_run(actor=actor, household=case.household, as_of=as_of)
    program = ENGINE_PROGRAM.get(case.program, case.program)
    o = program_outcome(evaluation, program=program)
    # The engine reports how many members are covered (``persons`` is a count, not a list of ids).
    count = (evaluation.result.get(program) or {}).get("persons")
    covered = len(o.person_ids) or (int(count) if isinstance(count, int) else 0)
    return CaseOutcome(o.eligible, o.monthly_fen, list(o.person_ids), list(o.reasons), evaluation, covered)


def authorisations_missing(case) -> list[str]:
    """Names of the people whose authorisation (授权) is still missing; [] when complete (S1 Art 9(3); S2 Art 10 ¶3:
    特困 also needs the statutory supporters). Provided by the verification app; without it nothing is complete."""
    try:
        from doudi.verification.selectors import authorisations_complete_for_case
    except ImportError:
        return ["（核对授权模块未安装）"]
    ok, missing = authorisations_complete_for_case(case)
    if ok:
        return []
    return [p.name for p in missing] or ["（尚无授权记录）"]


def authorisations_complete(case) -> bool:
    """No authorisation, no query."""
    return not authorisations_missing(case)


def start_verification(actor: User, *, case: Case, today: dt.date) -> VerificationRequest:
    """File the verification request of a case entering 核对中 (the verification app's queue); a seam like the
    two above, so workflow tests can run without department data."""
    from doudi.cases.services.verification import start_verification as start

    return start(actor, case=case, today=today)
