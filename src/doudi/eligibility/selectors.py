"""Reading stored evaluations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from doudi.accounts.choices import Action
from doudi.eligibility.models import Evaluation

if TYPE_CHECKING:
    from doudi.accounts.models import User


@dataclass(frozen=True)
class Outcome:
    program: str
    eligible: bool
    monthly_fen: int
    person_ids: list[int] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)


# Which ineligibility reasons (``doudi.rules.codes.REASONS``) belong to which program: the engine returns them for
# the whole household, and a 低保 notice must not cite, say, the 特困 supporter rule.
_DIBAO_REASONS = ("NO_COUNTED_MEMBER", "NO_STANDARD", "INCOME_NOT_BELOW_STANDARD", "PROPERTY_", "DIBAO_")
REASON_PREFIXES: dict[str, tuple[str, ...]] = {
    "dibao": _DIBAO_REASONS,
    "tekun": ("NO_COUNTED_MEMBER", "NO_STANDARD", "TEKUN_"),
    "temporary": ("TEMP_",),
    "grace": ("GRACE_",),
    "medical": (),
}


def program_outcome(evaluation: Evaluation, *, program: str) -> Outcome:
    """One program's result: ``dibao`` (whole household or single-person), ``tekun`` (basic + care), ``temporary``,
    ``medical`` (outpatient + inpatient) or ``grace`` (渐退). ``reasons`` are only that program's reasons."""
    r = evaluation.result
    prefixes = REASON_PREFIXES.get(program, ())
    reasons = [item["text"] for item in r.get("reasons", []) if str(item.get("code", "")).startswith(prefixes)]
    if program == "dibao":
        d = r["dibao"]
        return Outcome(program, bool(d["eligible"]), int(d["amount_fen"] or 0), _ids(d.get("person_ids")), reasons)
    if program == "tekun":
        t = r["tekun"]
        amount = int(t["basic_fen"] or 0) + int(t["care_fen"] or 0)
        return Outcome(program, bool(t["eligible"]), amount, _ids(t.get("person_ids")), reasons)
    if program == "temporary":
        t = r["temporary"]
        return Outcome(program, bool(t["eligible"]), int(t["amount_fen"] or 0), [], reasons)
    if program == "medical":
        m = r["medical"]
        amount = int(m["outpatient_fen"] or 0) + int(m["inpatient_fen"] or 0)
        return Outcome(program, amount > 0, amount, [], reasons)
    if program in ("orphan", "disabled_living", "disabled_care"):
        from doudi.rules.special import special_reasons

        s = (r.get("special") or {}).get(program) or {}
        why = [] if s.get("eligible") else special_reasons(r, program) or ["测算结果中没有该项目"]
        return Outcome(program, bool(s.get("eligible")), int(s.get("amount_fen") or 0), _ids(s.get("person_ids")),
                       why)
    if program == "grace":
        g = r["grace"]
        return Outcome(program, int(g["months"] or 0) > 0, int(g["amount_fen"] or 0), [], reasons)
    raise ValueError(f"unknown program {program!r}")


def evaluation_persons(evaluation: Evaluation) -> list[dict]:
    """The engine's per-person facts stored with the evaluation (docs/engine.md, ``persons``): counted or not and
    why, age, able to work, care tier, the program covering the person, their amount and its basis. Evaluations
    stored before the engine gave them return []."""
    return list(evaluation.result.get("persons") or [])


def _ids(persons) -> list[int]:
    if not persons or isinstance(persons, int):
        return []
    return [int(p) for p in persons]


def evaluation_latest(*, actor: User, household) -> Evaluation | None:
    """The household's newest evaluation the actor may see in full (None when none, or out of jurisdiction)."""
    return Evaluation.objects.restrict(actor, Action.VIEW_FULL).filter(household=household).first()


PROGRAM_ROWS = [
    ("dibao", "最低生活保障（低保）"),
    ("tekun", "特困人员救助供养"),
    ("grace", "渐退"),
    ("temporary", "临时救助"),
    ("medical", "医疗救助"),
    ("orphan", "孤儿、事实无人抚养儿童基本生活费"),
    ("disabled_living", "困难残疾人生活补贴"),
    ("disabled_care", "重度残疾人护理补贴"),
]


SPECIAL_ROWS = ("orphan", "disabled_living", "disabled_care")


def _special_relevant(r: dict, program: str) -> bool:
    """A special-group row is shown when someone qualifies or someone is in its target group (a child with parents
    recorded, a person with a disability certificate) — not on every household's panel."""
    for p in r.get("persons") or []:
        s = (p.get("special") or {}).get(program) or {}
        if s.get("eligible") or (s.get("reason") or {}).get("code") not in (None, "PARENTS_NOT_QUALIFYING",
                                                                              "NO_DISABILITY"):
            return True
    return False


def evaluation_view(evaluation: Evaluation) -> dict:
    """What the panel shows: one line per program, the status groups, the explanation and the parameters used."""
    r = evaluation.result
    programs = []
    for code, label in PROGRAM_ROWS:
        if code == "temporary" and not r.get("temporary", {}).get("type"):
            continue
        if code == "grace" and not r.get("grace", {}).get("months") and not r.get("grace", {}).get("stop_immediately"):
            continue
        if code in SPECIAL_ROWS and not _special_relevant(r, code):
            continue
        outcome = program_outcome(evaluation, program=code)
        programs.append({"code": code, "label": label, "outcome": outcome})
    statuses = []
    if r.get("margin", {}).get("eligible"):
        statuses.append("低保边缘家庭")
    if r.get("rigid_difficulty", {}).get("eligible"):
        statuses.append("刚性支出困难家庭")
    dibao = r.get("dibao", {})
    if dibao.get("single_person"):
        statuses.append("单人户纳入低保")
    params = [
        {
            "key": key,
            "value": item.get("value"),
            "source": item.get("source"),
            "illustrative": item.get("illustrative"),
            "from": item.get("from"),
        }
        for key, item in sorted((evaluation.params or {}).items())
    ]
    return {
        "programs": programs,
        "statuses": statuses,
        "explanation": evaluation.explanation,
        "reasons": [item["text"] for item in r.get("reasons", [])],
        "params": params,
        "counted": r.get("counted_members"),
        "per_capita_fen": r.get("per_capita_income_fen"),
        "standard_fen": r.get("standard_fen"),
    }
