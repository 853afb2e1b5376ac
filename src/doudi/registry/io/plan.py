"""What a validated import will write: one ``Group`` per household, one ``MemberPlan`` per person row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from doudi.regions.models import Region
from doudi.registry.io.parse import ParsedRow
from doudi.registry.models import Evidence, Household, Membership, Person

ONE_DAY = dt.timedelta(days=1)
PERSON_FIELD = {"ethnicity": "ethnicity", "mobile": "phone"}  # column key -> Person field


@dataclass
class MemberPlan:
    row: ParsedRow
    person: Person | None
    person_changes: dict[str, str] = field(default_factory=dict)
    end: Membership | None = None  # membership to close at ``start - 1 day``
    start: dt.date | None = None  # a new membership from this day
    fix_relationship: Membership | None = None  # started on/after the 台账日期: correct it in place
    evidence_end: list[Evidence] = field(default_factory=list)
    evidence_new: list[tuple[type[Evidence], dict]] = field(default_factory=list)


@dataclass
class Group:
    number: str
    rows: list[ParsedRow]
    household: Household | None = None
    region: Region | None = None
    fields: dict[str, str] = field(default_factory=dict)
    members: list[MemberPlan] = field(default_factory=list)
