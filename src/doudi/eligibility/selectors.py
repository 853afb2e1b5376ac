"""Reading stored evaluations."""

from __future__ import annotations

from dataclasses import dataclass, field

from doudi.accounts.choices import Action
from doudi.eligibility.models import Evaluation


@dataclass(frozen=True)
class Outcome:
    program: str
    eligible: bool
    monthly_fen: int
    person_ids: list[int] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


def program_outcome(evaluation: Evaluation, program: str) -> Outcome:
    """One program's result: ``dibao`` (whole household or single-person), ``tekun`` (basic + care), ``temporary``,
    ``medical`` (outpatient + inpatient) or ``grace`` (渐退)."""
    r = evaluation.result
    reasons = [item["text"] for item in r.get("reasons", [])]
    if program == "dibao":
        d = r["dibao"]
        return Outcome(program, bool(d["eligible"]), int(d["amount_fen"] or 0), _ids(d.get("persons")), reasons)
    if program == "tekun":
        t = r["tekun"]
        amount = int(t["basic_fen"] or 0) + int(t["care_fen"] or 0)
        return Outcome(program, bool(t["eligible"]), amount, _ids(t.get("persons")), reasons)
    if program == "temporary":
        t = r["temporary"]
        return Outcome(program, bool(t["eligible"]), int(t["amount_fen"] or 0), [], reasons)
    if program == "medical":
        m = r["medical"]
        amount = int(m["outpatient_fen"] or 0) + int(m["inpatient_fen"] or 0)
        return Outcome(program, amount > 0, amount, [], reasons)
    if program == "grace":
        g = r["grace"]
        return Outcome(program, int(g["months"] or 0) > 0, int(g["amount_fen"] or 0), [], reasons)
    raise ValueError(f"unknown program {program!r}")


def _ids(persons) -> list[int]:
    if not persons or isinstance(persons, int):
        return []
    return [int(p) for p in persons]


def evaluations_for_household(*, actor, household) -> list[Evaluation]:
    return list(Evaluation.objects.restrict(actor, Action.VIEW_FULL).filter(household=household)[:20])
