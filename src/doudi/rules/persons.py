"""One person's own facts without a household evaluation: whether they count (S1 Art 7, with the reason), age,
ability to work (S2 Art 5, the profile's working age), the care tier (S2 Art 22) and whether they are in the 特困
target group. The same expressions as the engine's member stage (``members.facts``), evaluated on one row, so the
registry's household page and the review scan read the engine's answer instead of restating it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from doudi.rules.codes import NOT_COUNTED_CODES, PERSON_TEXT
from doudi.rules.engine import plan_for
from doudi.rules.inputs import member_row
from doudi.rules.members import TIER_NAMES
from doudi.rules.params import Params


def member_status(member: dict[str, Any], params: Params, as_of: dt.date) -> dict[str, Any]:
    """``member``: one member object of the household JSON (docs/engine.md; ``supported_by`` is ignored here).
    Returns ``{counted, not_counted: {code, text} | None, age, able_to_work, care_tier, tekun_target}``.
    Raises ``InputError`` for bad input."""
    row = member_row({k: v for k, v in member.items() if k != "supported_by"}, "member")
    # the supporter masks (which need the household) are computed but not read here
    facts = plan_for(params, as_of).row.facts.apply_row({**row, "bit": 1, "sup_mask": 0, "ext_mask": 0,
                                                         "is_urban": True, "on_dibao": False})
    nc = facts["nc"]
    code = NOT_COUNTED_CODES[nc - 1] if nc else None
    return {
        "counted": facts["counted"],
        "not_counted": None if code is None else {"code": code, "text": PERSON_TEXT[code]},
        "age": facts["age"],
        "able_to_work": facts["able_work"],
        "care_tier": TIER_NAMES[facts["tier"]],
        "tekun_target": facts["tk_target"],
    }
