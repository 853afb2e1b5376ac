"""Pure eligibility and benefit rules (no ORM, no I/O). See docs/engine.md.

    evaluate_batch(households_df, members_df, params, as_of, supporters_df=None) -> pl.DataFrame
    evaluate_household(household: dict, params, as_of, *, with_members=True) -> dict
    evaluate_households(households: list[dict], params, as_of, *, with_members=True) -> list[dict]
    explain(result_row: dict, params) -> list[str]
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from doudi.rules.codes import REASON_TEXT, RULE_TEXT
from doudi.rules.engine import evaluate_batch, evaluate_rows
from doudi.rules.explain import explain, reason_codes, rule_codes
from doudi.rules.params import ParamMeta, Params
from doudi.rules.schema import InputError, households_to_frames, households_to_rows

__all__ = ["InputError", "ParamMeta", "Params", "evaluate_batch", "evaluate_household", "evaluate_households",
           "explain"]


# Up to this many households are evaluated row by row in Python (the same rules, built with ``rowexpr``): ~0.3 ms
# per household incl. the decision dict, against ~5 ms of fixed per-expression cost for a Polars batch of any small
# size (break-even ~30 households). Longer lists use the batch. Results are identical either way.
ROW_ENGINE_MAX = 16


def evaluate_households(households: list[dict[str, Any]], params: Params, as_of: dt.date, *,
                        with_members: bool = True) -> list[dict[str, Any]]:
    """Validate and evaluate household dicts; one decision dict per household (the same rules as the batch).

    ``with_members`` names the covered members (``dibao.person_ids``, ``tekun.person_ids``) by their ``id``."""
    if isinstance(households, list) and len(households) <= ROW_ENGINE_MAX:
        rows = evaluate_rows(*households_to_rows(households), params, as_of)
    else:
        hh, mem, sup = households_to_frames(households)
        rows = evaluate_batch(hh, mem, params, as_of, sup, with_members=with_members).to_dicts()
    by_id = {r["hh_id"]: r for r in rows}
    out = []
    for i, h in enumerate(households):
        member_ids = [str(m.get("id", j)) for j, m in enumerate(h["members"])] if with_members else None
        out.append(decision(by_id[str(h.get("id", i))], params, member_ids))
    return out


def evaluate_household(household: dict[str, Any], params: Params, as_of: dt.date, *,
                       with_members: bool = True) -> dict[str, Any]:
    return evaluate_households([household], params, as_of, with_members=with_members)[0]


def decision(row: dict[str, Any], params: Params, member_ids: list[str] | None = None) -> dict[str, Any]:
    """The stored decision: results in fen, codes, Chinese explanation, and every parameter with its source.

    With ``member_ids`` (the members' ``id`` in input order; a member without one is named by its position, "0",
    "1", …) and a row from ``evaluate_batch(..., with_members=True)``, ``dibao.person_ids`` lists the covered members
    (every counted member for 按户施保, the qualifying members for 单人户) and ``tekun.person_ids`` the 特困 persons."""
    rules, reasons = rule_codes(row), reason_codes(row)
    d = {
        "household_id": row["hh_id"],
        "profile": params.profile,
        "as_of": params.as_of.isoformat(),
        "policy_version": params.version(),
        "counted_members": row["n"],
        "per_capita_income_fen": row["per_capita_income"],
        "countable_income_fen": row["countable"],
        "standard_fen": row["std"],
        "dibao": {"eligible": row["dibao_eligible"], "whole_household": row["dibao_whole"],
                  "single_person": row["dibao_single"], "persons": row["dibao_persons"],
                  "amount_fen": row["dibao_amount"], "review_months": row["review_months"]},
        "margin": {"eligible": row["margin"]},
        "rigid_difficulty": {"eligible": row["rigid_difficulty"], "valid_months": row["rigid_valid_months"]},
        "tekun": {"eligible": row["tekun_eligible"], "persons": row["tekun_persons"],
                  "basic_fen": row["tekun_basic"], "care_fen": row["tekun_care"],
                  "care_tiers": {"complete": row["tk_c"], "partial": row["tk_p"], "able": row["tk_a"]}},
        "grace": {"months": row["grace_months"], "amount_fen": row["grace_amount"],
                  "last_paid_month": row["grace_last_month"], "stop_immediately": row["grace_excluded"]},
        "temporary": {"type": row["temp_type"], "cause": row["temp_cause"], "eligible": row["temp_eligible"],
                      "min_fen": row["temp_min"], "max_fen": row["temp_max"], "amount_fen": row["temp_amount"],
                      "approval": row["temp_approval"], "case_conference": row["temp_case_conference"],
                      "pay_within_hours": row["temp_pay_within_hours"]},
        "medical": {"category": row["medical_category"], "outpatient_fen": row["medical_outpatient"],
                    "inpatient_fen": row["medical_inpatient"]},
        "rules": [{"code": c, "text": RULE_TEXT[c]} for c in rules],
        "reasons": [{"code": c, "text": REASON_TEXT[c]} for c in reasons],
        "explanation": explain(row, params),
        "parameters": params.used(),
    }
    if member_ids is not None:
        d["dibao"]["person_ids"] = [member_ids[k] for k in row["dibao_members"] or ()]
        d["tekun"]["person_ids"] = [member_ids[k] for k in row["tekun_members"] or ()]
    return d
