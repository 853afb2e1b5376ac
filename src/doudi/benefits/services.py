"""Entitlement helpers shared by the case workflow and the demo."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # benefits sits below eligibility: the evaluation is only read here, never imported at run time
    from doudi.eligibility.models import Evaluation


def entitlement_basis(evaluation: Evaluation, program: str) -> dict[str, Any]:
    """The facts the payroll needs to recompute an entitlement's amount when a standard changes by date
    (docs/payroll.md): area, counted members, countable monthly income and, for 特困, the care tier.

    For a 低保 the basis reproduces the decided amount: amount = standard × members − income. For a single-person
    entitlement (单人户) the income is derived from the decided amount, so the same formula holds for one person.
    """
    r = evaluation.result
    area = evaluation.inputs.get("area", "")
    if program == "dibao":
        return {
            "basis_area": area,
            "basis_members": r["counted_members"],
            "basis_income_fen": r["countable_income_fen"],
        }
    if program == "dibao_single":
        return {
            "basis_area": area,
            "basis_members": 1,
            "basis_income_fen": max(0, r["standard_fen"] - r["dibao"]["amount_fen"]),
        }
    if program == "tekun":
        tiers = r["tekun"].get("care_tiers") or {}
        level = next((tier for tier in ("complete", "partial", "able") if tiers.get(tier)), "")
        return {"basis_area": area, "basis_care_level": level}
    return {}
