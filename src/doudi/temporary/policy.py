"""Temporary assistance as the profile says (issue 8 item 6): the band for a household's request (type, cause,
severity; per person or per household), who approves an amount and when 一事一议 minutes are required — all the
engine's (``rules.temporary``), under the region's profile. Nothing here restates a figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.core.money import format_yuan
from doudi.eligibility.adapter import household_input
from doudi.eligibility.services import evaluate_snapshot_input, params_for
from doudi.registry.selectors import household_snapshot
from doudi.rules.temporary import approval_level

# The case workflow's causes → the engine's vocabulary (rules.kinds.TEMP_CAUSES).
CAUSE_MAP = {"fire": "disaster", "traffic": "accident", "accident": "accident", "sudden_illness": "serious_illness",
             "serious_illness": "serious_illness", "education": "education", "other": "other"}


@dataclass(frozen=True)
class Band:
    min_fen: int | None
    max_fen: int | None
    eligible: bool
    approval: str | None
    pay_within_hours: int | None
    source: str = ""  # the provenance of the profile's temporary.bands


def request_input(type_: str, cause: str, severity: str = "general", requested_fen: int | None = None) -> dict:
    out: dict[str, Any] = {"type": type_, "cause": CAUSE_MAP.get(cause, "other"), "severity": severity or "general"}
    if requested_fen:
        out["requested"] = int(requested_fen)
    return out


def band_for(household, type_: str, cause: str, severity: str = "general", requested_fen: int | None = None,
             day: dt.date | None = None) -> Band:
    """The engine's band for this household's request on ``day`` (not stored: a preview for intake and steps)."""
    day = day or timezone.localdate()
    snap = household_snapshot(household, as_of=day)
    if not snap.members:
        return Band(None, None, False, None, None)
    params = params_for(household.region.effective_profile(), as_of=day, area=household.area_type)
    data = household_input(snap, extra={"temporary": request_input(type_, cause, severity, requested_fen)})
    t = evaluate_snapshot_input(data, params=params, as_of=day)["temporary"]
    return Band(t.get("min_fen"), t.get("max_fen"), bool(t.get("eligible")), t.get("approval"),
                t.get("pay_within_hours"), params.label("temporary.bands"))


def approval_for(case, amount_fen: int, day: dt.date | None = None) -> tuple[str, Band]:
    """``township`` | ``county`` | ``county_case_conference`` for ``amount_fen`` on this case (S6 §2(2)–(3))."""
    day = day or timezone.localdate()
    temp = case.temporary
    band = band_for(case.household, temp.type, temp.cause, temp.severity, amount_fen, day)
    params = params_for(case.region.effective_profile(), as_of=day, area=case.household.area_type)
    return approval_level(amount_fen=amount_fen, band_max_fen=band.max_fen, params=params), band


def conference_reason(case, amount_fen: int, band: Band, day: dt.date | None = None) -> str:
    """Why 一事一议 minutes are required, in Chinese, naming the figure and its source."""
    params = params_for(case.region.effective_profile(), as_of=day or timezone.localdate(),
                        area=case.household.area_type)
    if band.max_fen is None:
        return _("当地政策对该类情形未规定救助档次（%(src)s），须一事一议") % {"src": params.label("temporary.bands")}
    if amount_fen > band.max_fen:
        return _("金额%(a)s元超过救助档次上限%(m)s元（%(src)s）") % {
            "a": format_yuan(amount_fen), "m": format_yuan(band.max_fen), "src": params.label("temporary.bands")}
    return _("金额%(a)s元超过一事一议起点（%(src)s）") % {
        "a": format_yuan(amount_fen), "src": params.label("temporary.case_conference_above")}
