"""Pure eligibility and benefit rules (no ORM, no I/O). See docs/engine.md.

    evaluate_batch(households_df, members_df, params, as_of, supporters_df=None, *, with_members=False) -> DataFrame
    evaluate_household(household: dict, params, as_of, *, with_members=True) -> dict
    evaluate_households(households: list[dict], params, as_of, *, with_members=True) -> list[dict]
    explain(result_row: dict, params) -> list[str]
    entitlement_amount(...) / entitlement_amounts(frame, params)   (rules.amounts: the one amount formula)
    member_status(member: dict, params, as_of) -> dict              (rules.persons: one person's own facts)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from doudi.rules.amounts import entitlement_amount, entitlement_amounts
from doudi.rules.decision import decision
from doudi.rules.engine import evaluate_batch, evaluate_rows, plan_for
from doudi.rules.explain import explain
from doudi.rules.params import ParamMeta, Params
from doudi.rules.persons import member_status
from doudi.rules.schema import InputError, households_to_claims, households_to_frames, households_to_rows
from doudi.rules.special import household_special

__all__ = ["InputError", "ParamMeta", "Params", "decision", "entitlement_amount", "entitlement_amounts",
           "evaluate_batch", "evaluate_household", "evaluate_households", "explain", "member_status"]


# Up to this many households are evaluated row by row in Python (the same rules, built with ``rowexpr``): ~0.3 ms
# per household incl. the decision dict, against ~5 ms of fixed per-expression cost for a Polars batch of any small
# size (break-even ~30 households). Longer lists use the batch. Results are identical either way.
ROW_ENGINE_MAX = 16


def evaluate_households(households: list[dict[str, Any]], params: Params, as_of: dt.date, *,
                        with_members: bool = True) -> list[dict[str, Any]]:
    """Validate and evaluate household dicts; one decision dict per household (the same rules as the batch).

    ``with_members`` adds the per-person facts (``persons``), names the covered members (``dibao.person_ids``,
    ``tekun.person_ids``) by their ``id``, computes the medical claims (``medical.claims``) and the special-group
    programs of each person (``special``, ``persons[].special``: ``rules.special``)."""
    if isinstance(households, list) and len(households) <= ROW_ENGINE_MAX:
        rows = evaluate_rows(*households_to_rows(households), params, as_of)
    else:
        hh, mem, sup = households_to_frames(households)
        rows = evaluate_batch(hh, mem, params, as_of, sup, with_members=with_members).to_dicts()
    claims = households_to_claims(households)
    by_id = {r["hh_id"]: r for r in rows}
    out = []
    for i, h in enumerate(households):
        member_ids = [str(m.get("id", j)) for j, m in enumerate(h["members"])] if with_members else None
        d = decision(by_id[str(h.get("id", i))], params, member_ids, claims[i])
        if with_members:
            household_special(h["members"], d, plan_for(params, as_of).scalars, as_of)
        out.append(d)
    return out


def evaluate_household(household: dict[str, Any], params: Params, as_of: dt.date, *,
                       with_members: bool = True) -> dict[str, Any]:
    return evaluate_households([household], params, as_of, with_members=with_members)[0]
