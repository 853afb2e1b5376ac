"""Reads for the care screens, every one scoped to the actor's jurisdiction. Intervals, targets and ratios come from
the region's policy profile (``care.*`` keys); nothing here states a number of days or a share."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.care.choices import CheckLevel, SupportMode, VisitGroup
from doudi.care.models import (
    CareAgreement,
    CareVisit,
    Institution,
    InstitutionCheck,
    SupportArrangement,
    VisitTarget,
)
from doudi.policy.services import profile_load_effective
from doudi.regions.models import Region, profile_of

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from doudi.accounts.models import User


class ProfileValues:
    """Values of the regions' policy profiles in force on ``on``, each region's profile name and each profile loaded
    once per read (a screen reads the same few keys for many villages)."""

    def __init__(self, on: dt.date):
        self.on, self.names, self.profiles, self.values = on, {}, {}, {}
        self.table: list[tuple[str, str]] | None = None

    def get(self, region_code: str, key: str):
        """The value in force for ``key`` in the profile of the region ``region_code`` (None if it has none).
        Which profile each region has is read once per instance (one query, however many villages)."""
        name = self.names.get(region_code)
        if name is None:
            if self.table is None:
                self.table = Region.profile_table()
            name = self.names[region_code] = profile_of(region_code, self.table)
        if (name, key) not in self.values:
            if name not in self.profiles:
                self.profiles[name] = profile_load_effective(name_or_path=name)
            entry = self.profiles[name].resolve(key, self.on)
            self.values[(name, key)] = entry.value if entry is not None else None
        return self.values[(name, key)]


def arrangements(*, actor: User, open_only: bool = True, action: str = Action.VIEW) -> QuerySet[SupportArrangement]:
    qs = SupportArrangement.objects.restrict(actor, action).select_related("person", "region", "institution")
    return qs.filter(end_date__isnull=True) if open_only else qs


def arrangement_get(*, actor: User, pk: int) -> SupportArrangement | None:
    """One arrangement with its agreements and assessments: a full record (departments do not see it), audited."""
    a = arrangements(actor=actor, open_only=False, action=Action.VIEW_FULL).filter(pk=pk).first()
    if a is not None:
        audit_record(actor=actor, action=AuditAction.VIEW, obj=a, region_code=a.region_id)
    return a


def agreements(*, actor: User) -> QuerySet[CareAgreement]:
    return CareAgreement.objects.restrict(actor, Action.VIEW).select_related("arrangement__person", "region")


def targets_with_last_visit(*, actor: User, action: str = Action.VIEW, on: dt.date) -> QuerySet[VisitTarget]:
    last = CareVisit.objects.filter(target=OuterRef("pk"), visited_on__lte=on).order_by("-visited_on")
    return (VisitTarget.objects.restrict(actor, action).filter(since__lte=on)
            .filter(Q(until__isnull=True) | Q(until__gte=on))
            .select_related("person", "region").annotate(last_visit=Subquery(last.values("visited_on")[:1])))


@dataclass
class DueTarget:
    target: VisitTarget
    last_visit: dt.date | None
    due_on: dt.date
    overdue: bool


def visits_due(*, actor: User, on: dt.date, action: str = Action.VIEW, values: ProfileValues | None = None
               ) -> list[DueTarget]:
    """Every open visiting target with its next due date (last visit, or since, + the profile's interval),
    overdue first."""
    cache = values or ProfileValues(on)
    out = []
    for t in targets_with_last_visit(actor=actor, action=action, on=on):
        days = cache.get(t.region_id, f"care.visit_days.{t.group}")
        if days is None:
            continue  # the profile does not schedule this group
        due = (t.last_visit or t.since) + dt.timedelta(days=days)
        out.append(DueTarget(t, t.last_visit, due, due < on))
    return sorted(out, key=lambda d: (d.due_on, d.target.pk))


@dataclass
class Rate:
    township: Region
    group: str
    targets: int = 0
    visited: int = 0
    target_bp: int | None = None

    @property
    def rate_bp(self) -> int | None:
        return None if not self.targets else self.visited * 10_000 // self.targets

    @property
    def met(self) -> bool | None:
        return None if self.rate_bp is None or self.target_bp is None else self.rate_bp >= self.target_bp

    @property
    def group_label(self) -> str:
        return VisitGroup(self.group).label


def visit_rates(*, actor: User, on: dt.date, due: list[DueTarget] | None = None,
                values: ProfileValues | None = None) -> list[Rate]:
    """Per township and group: targets visited within their interval as of ``on`` vs the profile's target rate.
    ``due``: the actor's ``visits_due`` on ``on`` when the caller already has it."""
    cache = values or ProfileValues(on)
    if due is None:
        due = visits_due(actor=actor, on=on, values=cache)
    rates: dict[tuple[str, str], Rate] = {}
    townships = Region.objects.in_bulk({d.target.region_id[:9] + "000" for d in due})
    for d in due:
        t = d.target
        key = (t.region_id[:9] + "000", t.group)
        if key not in rates:
            rates[key] = Rate(townships.get(key[0]) or t.region, t.group,
                              target_bp=cache.get(t.region_id, f"care.visit_rate_target.{t.group}"))
        rates[key].targets += 1
        rates[key].visited += int(not d.overdue and d.last_visit is not None)
    return [rates[k] for k in sorted(rates)]


@dataclass
class Supervision:
    institution: Institution
    last: dict[str, dt.date | None] = field(default_factory=dict)
    overdue: list[str] = field(default_factory=list)
    open_issues: int = 0


def supervision(*, actor: User, on: dt.date, values: ProfileValues | None = None) -> list[Supervision]:
    """Each institution's last check per 3+1 level and the levels overdue by the profile's interval ([004] 六)."""
    cache = values or ProfileValues(on)
    out = []
    insts = Institution.objects.restrict(actor, Action.VIEW).filter(active=True).select_related("region")
    lasts = (InstitutionCheck.objects.filter(institution__in=insts).values("institution_id", "level")
             .annotate(last=Max("checked_on")))
    by_inst: dict[int, dict[str, dt.date]] = {}
    for row in lasts:
        by_inst.setdefault(row["institution_id"], {})[row["level"]] = row["last"]
    issues = InstitutionCheck.objects.filter(institution__in=insts, result="issues", rectified_on__isnull=True)
    open_by = {}
    for i in issues.values_list("institution_id", flat=True):
        open_by[i] = open_by.get(i, 0) + 1
    for inst in insts:
        s = Supervision(inst, last=by_inst.get(inst.pk, {}), open_issues=open_by.get(inst.pk, 0))
        for level in CheckLevel.values:
            days = cache.get(inst.region_id.ljust(12, "0"), f"care.supervision_days.{level}")
            last = s.last.get(level)
            if days is not None and (last is None or (on - last).days > days):
                s.overdue.append(CheckLevel(level).label)
        out.append(s)
    return out


@dataclass
class Ratio:
    label: str
    numerator: int
    denominator: int
    target_bp: int | None

    @property
    def rate_bp(self) -> int | None:
        return None if not self.denominator else self.numerator * 10_000 // self.denominator

    @property
    def met(self) -> bool | None:
        return None if self.rate_bp is None or self.target_bp is None else self.rate_bp >= self.target_bp


def ratios(*, actor: User, region: Region, on: dt.date, values: ProfileValues | None = None) -> list[Ratio]:
    """The two ratios [004] 三 sets, computed from the records: nursing beds among all beds of the institutions, and
    the share of 特困 persons who (by the engine's care tier) have lost self-care in whole or part and are supported
    in an institution."""
    cache = values or ProfileValues(on)
    beds = (Institution.objects.restrict(actor, Action.VIEW).filter(active=True, region__code__startswith=region.prefix)
            .aggregate(beds=Sum("beds", default=0), nursing=Sum("nursing_beds", default=0)))
    disabled = (arrangements(actor=actor).filter(region__code__startswith=region.prefix,
                                                 care_tier__in=["complete", "partial"])
                .aggregate(all=Count("id"), central=Count("id", filter=Q(mode=SupportMode.INSTITUTIONAL))))
    code = region.code
    return [
        Ratio(_("护理型床位占比"), beds["nursing"], beds["beds"], cache.get(code, "care.target.nursing_bed_share")),
        Ratio(_("失能、半失能特困人员集中供养率"), disabled["central"], disabled["all"],
              cache.get(code, "care.target.disabled_centralised_share")),
    ]


def checks(*, actor: User) -> QuerySet[InstitutionCheck]:
    return InstitutionCheck.objects.restrict(actor, Action.VIEW).select_related("institution", "checker")
