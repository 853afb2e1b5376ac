"""The engine's per-person facts for registry members, without a stored evaluation: counted or not and why (S1 Art
7), age, able to work (S2 Art 5, the profile's working age), care tier (S2 Art 22), 特困 target group. The same
expressions as the engine's member stage (``rules.member_status``), fed by the same mapping as an evaluation
(``adapter._member_input``) — so the registry's household page and the review scan never restate a rule."""

from __future__ import annotations

import datetime as dt
from typing import Any

from doudi.eligibility.adapter import _member_input
from doudi.eligibility.services import params_for
from doudi.registry.selectors import HouseholdSnapshot
from doudi.rules import member_status
from doudi.rules.params import Params


def member_facts(snapshots: list[HouseholdSnapshot], as_of: dt.date | None = None) -> dict[int, dict[str, Any]]:
    """person id → ``member_status`` of every member of these snapshots, under the parameters of each household's
    profile and area on the snapshot's date. A member whose record the engine refuses gets no entry."""
    params: dict[tuple[str, str, dt.date], Params] = {}
    out: dict[int, dict[str, Any]] = {}
    for snap in snapshots:
        day = as_of or snap.as_of
        h = snap.household
        key = (h.region.effective_profile(), h.area_type, day)
        if key not in params:
            params[key] = params_for(key[0], as_of=day, area=key[1])
        for m in snap.members:
            member = {k: v for k, v in _member_input(m, day).items() if k != "name"}
            try:
                out[m.person.pk] = member_status(member, params[key], day)
            except ValueError:
                continue
    return out


def snapshot_facts(snapshot: HouseholdSnapshot) -> dict[int, dict[str, Any]]:
    """The provider installed into ``registry.selectors.member_facts`` (the registry sits below this app)."""
    return member_facts([snapshot])
