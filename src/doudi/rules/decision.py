"""The decision dict stored with an evaluation: results in fen, codes with Chinese texts, the per-person facts, the
explanation and every parameter with its source (docs/engine.md, "Output")."""

from __future__ import annotations

from typing import Any

from doudi.rules import rowexpr
from doudi.rules.codes import PERSON_TEXT, REASON_TEXT, RULE_TEXT
from doudi.rules.explain import explain, reason_codes, rule_codes
from doudi.rules.exprs import month_label
from doudi.rules.medical import claim_exprs
from doudi.rules.params import Params
from doudi.rules.scalars import Scalars


def _coded(code: str | None) -> dict[str, str] | None:
    return None if code is None else {"code": code, "text": PERSON_TEXT[code]}


def decision(row: dict[str, Any], params: Params, member_ids: list[str] | None = None,
             claims: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The stored decision for one result row (``evaluate_batch(..., with_members=True)`` or ``evaluate_rows``).

    With ``member_ids`` (the members' ``id`` in input order; a member without one is named by its position) it
    names the covered members (``dibao.person_ids``, ``tekun.person_ids``) and adds ``persons``; ``claims`` (from
    ``schema.households_to_claims``) are computed per covered person into ``medical.claims``."""
    rules, reasons = rule_codes(row), reason_codes(row)
    area = "urban" if row["is_urban"] else "rural"
    d = {
        "household_id": row["hh_id"],
        "profile": params.profile,
        "as_of": params.as_of.isoformat(),
        "policy_version": params.version(),
        "counted_members": row["n"],
        "per_capita_income_fen": row["per_capita_income"],
        "countable_income_fen": row["countable"],
        "standard_fen": row["std"],
        "review_months": row["review_months"],
        "dibao": _dibao(row, area),
        "margin": {"eligible": row["margin"]},
        "rigid_difficulty": {"eligible": row["rigid_difficulty"], "valid_months": row["rigid_valid_months"]},
        "tekun": {"eligible": row["tekun_eligible"], "persons": row["tekun_persons"],
                  "basic_fen": row["tekun_basic"], "care_fen": row["tekun_care"],
                  "care_tiers": {"complete": row["tk_c"], "partial": row["tk_p"], "able": row["tk_a"]},
                  "review_months": (params.get("review.months.tekun") if row["tekun_eligible"] else None)},
        "grace": {"months": row["grace_months"], "amount_fen": row["grace_amount"],
                  "start_month": month_label(row["grace_start"]),
                  "last_paid_month": month_label(row["grace_last_month"]),
                  "months_remaining": row["grace_remaining"], "stop_immediately": row["grace_excluded"],
                  "continued": "GRACE_CONTINUED" in rules, "ended": "GRACE_ENDED" in rules},
        "temporary": {"type": row["temp_type"], "cause": row["temp_cause"], "severity": row["temp_severity"],
                      "eligible": row["temp_eligible"], "min_fen": row["temp_min"], "max_fen": row["temp_max"],
                      "amount_fen": row["temp_amount"], "approval": row["temp_approval"],
                      "case_conference": row["temp_case_conference"], "pay_within_hours": row["temp_pay_within_hours"],
                      "band": row["temp_band"]},
        "medical": {"category": row["medical_category"], "outpatient_fen": row["medical_outpatient"],
                    "inpatient_fen": row["medical_inpatient"]},
        "rules": [{"code": c, "text": RULE_TEXT[c]} for c in rules],
        "reasons": [{"code": c, "text": REASON_TEXT[c]} for c in reasons],
        "explanation": explain(row, params),
        "parameters": params.used(),
    }
    if member_ids is not None:
        people = [_person(p, i, area) for p, i in zip(row["persons"], member_ids, strict=True)]
        d["persons"] = people
        d["dibao"]["person_ids"] = [member_ids[k] for k in row["dibao_members"] or ()]
        d["tekun"]["person_ids"] = [member_ids[k] for k in row["tekun_members"] or ()]
        d["medical"]["claims"] = _claims(claims or [], {p["id"]: p["medical_category"] for p in people}, params)
    return d


def _dibao(row: dict[str, Any], area: str) -> dict[str, Any]:
    whole = row["dibao_whole"]
    return {"eligible": row["dibao_eligible"], "whole_household": whole, "single_person": row["dibao_single"],
            "persons": row["dibao_persons"], "amount_fen": row["dibao_amount"],
            "review_months": row["review_months_dibao"],
            # what the payroll recomputes the whole-household amount from (``amounts.entitlement_amount``)
            "basis": ({"program": "dibao", "area": area, "members": row["n_db"], "income_fen": row["countable_db"]}
                      if whole else None)}


def _person(p: dict[str, Any], pid: str, area: str) -> dict[str, Any]:
    basis = None
    if p["program"] == "tekun":
        basis = {"program": "tekun", "area": area, "members": 1, "income_fen": None, "care_tier": p["care_tier"]}
    elif p["program"] == "dibao_single":
        basis = {"program": "dibao_single", "area": area, "members": 1, "income_fen": p["countable_income_fen"]}
    return {
        "id": pid, "counted": p["counted"], "not_counted": _coded(p["not_counted"]), "age": p["age"],
        "able_to_work": p["able_to_work"], "care_tier": p["care_tier"], "program": p["program"],
        "monthly_fen": p["monthly_fen"], "basis": basis, "countable_income_fen": p["countable_income_fen"],
        "tekun": {"target": p["tekun_target"], "eligible": p["tekun"], "reason": _coded(p["tekun_reason"]),
                  "basic_fen": p["tekun_basic_fen"], "care_fen": p["tekun_care_fen"]},
        "has_able_supporter": p["has_able_supporter"], "able_as_supporter": p["able_as_supporter"],
        "medical_category": p["medical_category"],
    }


def _claims(claims: list[dict[str, Any]], category: dict[str, str | None], params: Params) -> list[dict[str, Any]]:
    """Each claim at its person's category, in date order; one person's claims of one kind share the annual cap
    (as ``medical.evaluate_claims`` does for a file of claims)."""
    if not claims:
        return []
    e = claim_exprs(rowexpr, Scalars(params))
    asked: dict[tuple[str, str], int] = {}
    out = []
    for c in sorted(claims, key=lambda c: c["date"]):
        key = (c["person"], c["kind"])
        row = {"kind": c["kind"], "category": category.get(c["person"]), "oop_fen": c["oop"],
               "already_fen": c["ytd"] + asked.get(key, 0)}
        raw = e["raw_fen"].fn(row)
        asked[key] = asked.get(key, 0) + raw
        rate_key = f"medical.{c['kind']}.{row['category']}.rate"
        out.append({"id": c["id"], "person_id": c["person"], "kind": c["kind"], "date": c["date"].isoformat(),
                    "hospital": c["hospital"], "oop_fen": c["oop"], "category": row["category"],
                    "payable_fen": e["payable_fen"].fn(row), "capped": e["capped"].fn(row),
                    "rule": rate_key if row["category"] else None,
                    "source": params.label(rate_key) if row["category"] else "不属于医疗救助对象类别"})
    return out
