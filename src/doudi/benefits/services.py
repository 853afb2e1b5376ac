"""Entitlements as the engine decided them, shared by the case workflow, the review path and the demo.

The decision stores, per entitlement, the amount decided (``monthly_fen``), the engine's own amount for the same
basis under the parameters of the decision (``basis_amount_fen``) and the basis itself. The payroll pays
``monthly_fen``; a dated parameter change re-applied by the engine moves it by ``entitlement_amount(basis, month) −
basis_amount_fen`` and nothing else does (docs/payroll.md, issue 8 item 2).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol


class EvaluationLike(Protocol):
    """What is read of an ``eligibility.models.Evaluation`` here (benefits sits below eligibility: no import up)."""

    result: dict[str, Any]

PERSONAL = ("tekun", "dibao_single")  # one entitlement per covered person: own tier, own amount, own end
SPECIAL = ("orphan", "disabled_living", "disabled_care")  # rules.special: per person, at the decided amount


def _basis(basis: dict[str, Any] | None, amount_fen: int | None) -> dict[str, Any]:
    if not basis:
        return {}
    return {"basis_area": basis.get("area") or "", "basis_members": basis.get("members"),
            "basis_income_fen": basis.get("income_fen") if basis.get("program") != "tekun" else None,
            "basis_care_level": basis.get("care_tier") or "", "basis_amount_fen": amount_fen}


def entitlement_rows(evaluation: EvaluationLike, *, program: str) -> list[dict[str, Any]]:
    """The entitlements an evaluation grants for ``program`` (``dibao`` whole household, ``dibao_single`` or
    ``tekun``), as ``Entitlement`` field values: one per person for 特困 and 单人户 (the engine's ``persons[]``
    with their own amount and basis), one for the 低保 unit (``dibao.basis``, the members not covered by 特困).
    Empty when the evaluation grants nothing for the program."""
    r = evaluation.result
    if program in SPECIAL:
        return special_rows(r, program=program)
    if program == "dibao":
        d = r.get("dibao") or {}
        if not (d.get("eligible") and d.get("whole_household")):
            return []
        return [{"program": "dibao", "person_id": None, "monthly_fen": int(d["amount_fen"] or 0),
                 "covered_members": int(d.get("persons") or 0) or 1,
                 **_basis(d.get("basis"), int(d["amount_fen"] or 0))}]
    rows = []
    for p in r.get("persons") or []:
        if p.get("program") != program or not p.get("monthly_fen"):
            continue
        amount = int(p["monthly_fen"])
        rows.append({"program": program, "person_id": int(p["id"]), "monthly_fen": amount, "covered_members": 1,
                     **_basis(p.get("basis"), amount)})
    return rows


def special_rows(result: dict[str, Any], *, program: str) -> list[dict[str, Any]]:
    """A special-group program's entitlements: one per person the engine found eligible (``persons[].special``),
    at its amount (no basis: the payroll pays the decided amount), ending with the engine's ``last_month`` (the
    child's 18th-birthday month) when it gives one."""
    rows = []
    for p in result.get("persons") or []:
        s = (p.get("special") or {}).get(program) or {}
        if not s.get("eligible") or not s.get("monthly_fen"):
            continue
        last = s.get("last_month")
        rows.append({"program": program, "person_id": int(p["id"]), "monthly_fen": int(s["monthly_fen"]),
                     "covered_members": 1,
                     "end_month": dt.date.fromisoformat(f"{last}-01") if last else None})
    return rows


def special_person(result: dict[str, Any], *, program: str, person_id: int | None) -> dict[str, Any] | None:
    """The engine's answer for one person and one special-group program (``persons[].special[program]``:
    ``eligible``, ``monthly_fen``, ``reason``, ``last_month``, ``school_extension``), or None when the evaluation does
    not list the person (no longer a member of the household)."""
    for p in result.get("persons") or []:
        if person_id is not None and str(p.get("id")) == str(person_id):
            return (p.get("special") or {}).get(program) or {}
    return None


def special_end_month(result: dict[str, Any], *, program: str, person_id: int | None) -> dt.date | None:
    """The month the engine says the person's special-group program was last due when it no longer applies (a
    child's birthday month, the month full-time schooling under the extension ended, the month before a death):
    a ``date`` (first of the month), or None when it still applies or the engine gives no month."""
    s = special_person(result, program=program, person_id=person_id)
    if not s or s.get("eligible") or not s.get("last_month"):
        return None
    return dt.date.fromisoformat(f"{s['last_month']}-01")
