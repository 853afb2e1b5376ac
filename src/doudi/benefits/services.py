"""Entitlement helpers shared by the case workflow and the demo."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # benefits sits below eligibility: the evaluation is only read here, never imported at run time
    from doudi.eligibility.models import Evaluation


def _person(r: dict[str, Any], program_key: str) -> dict[str, Any] | None:
    """The engine's per-person facts of the program's first covered person (the one the case workflow enrols)."""
    ids = (r.get(program_key) or {}).get("person_ids") or []
    return next((p for p in r.get("persons") or [] if ids and p.get("id") == ids[0]), None)


def entitlement_basis(evaluation: Evaluation, program: str) -> dict[str, Any]:
    """The facts the payroll needs to recompute an entitlement's amount when a standard changes by date
    (docs/payroll.md): area, counted members, countable monthly income and, for 特困, the care tier.

    The engine states the basis itself (``dibao.basis`` for a whole household — the members not covered by 特困 —
    and ``persons[].basis`` per person); evaluations stored before it did fall back to the household figures.
    """
    r = evaluation.result
    area = evaluation.inputs.get("area", "")
    if program == "dibao":
        basis = (r.get("dibao") or {}).get("basis")
        if basis:
            return {"basis_area": basis["area"], "basis_members": basis["members"],
                    "basis_income_fen": basis["income_fen"]}
        return {
            "basis_area": area,
            "basis_members": r["counted_members"],
            "basis_income_fen": r["countable_income_fen"],
        }
    if program == "dibao_single":
        person = _person(r, "dibao")
        if person and person.get("basis"):
            return {"basis_area": area, "basis_members": 1, "basis_income_fen": person["basis"]["income_fen"]}
        return {
            "basis_area": area,
            "basis_members": 1,
            "basis_income_fen": max(0, r["standard_fen"] - r["dibao"]["amount_fen"]),
        }
    if program == "tekun":
        person = _person(r, "tekun")
        if person:
            return {"basis_area": area, "basis_care_level": person["care_tier"]}
        tiers = r["tekun"].get("care_tiers") or {}
        level = next((tier for tier in ("complete", "partial", "able") if tiers.get(tier)), "")
        return {"basis_area": area, "basis_care_level": level}
    return {}
