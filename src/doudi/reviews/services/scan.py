"""The review scan: creates the review tasks that are due in one jurisdiction on one day (STYLE.md 7).

Idempotent and resumable, like payroll generation:

1. ``ReviewTask`` is unique per (entitlement, reason, key) and inserts ignore conflicts, so no re-run, crash or
   second operator creates a second task for the same trigger.
2. Work is claimed chunk by chunk with a conditional update of ``ReviewScan.cursor`` (last entitlement id done) in
   the same transaction as the chunk's inserts; a crash rolls back both and the re-run redoes exactly that chunk.
3. ``done_count`` / ``total_count`` show progress; a scan that is ``done`` returns at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.benefits.choices import SPECIAL_PROGRAMS, EntitlementStatus, Program
from doudi.benefits.models import Entitlement
from doudi.core.errors import NotFoundOrForbidden
from doudi.regions.choices import LEVEL_ORDER
from doudi.regions.models import Region
from doudi.registry.choices import EmploymentStatus
from doudi.registry.models import Employment, Household, Membership
from doudi.registry.selectors import household_snapshots
from doudi.reviews import schedule
from doudi.reviews.choices import ReviewReason, ReviewStatus, ScanState
from doudi.reviews.models import ReviewScan, ReviewTask

logger = logging.getLogger(__name__)

if TYPE_CHECKING:
    from doudi.accounts.models import User

CHUNK = 500
# 低保, 单人户, 特困 and the special groups (孤儿、事实无人抚养儿童, the two disability subsidies; issue 12.4):
# whether a special-group program still applies to its person is the engine's answer at the review (``rules.special``).
REVIEWED_PROGRAMS = (Program.DIBAO, Program.DIBAO_SINGLE, Program.TEKUN, *SPECIAL_PROGRAMS)
LIVE = (EntitlementStatus.ACTIVE, EntitlementStatus.GRACE)
IRREGULAR = (EmploymentStatus.FLEXIBLE, EmploymentStatus.SELF_EMPLOYED)
# The household's village and every region above it, joined in: the profile is the nearest one set up the chain
# (``Region.effective_profile``), which would otherwise cost a query per level per household.
REGION_CHAIN = "__".join(["household", "region", *["parent"] * (len(LEVEL_ORDER) - 1)])


def household_facts(households: list[Household], *, as_of: dt.date) -> dict[int, tuple[bool, bool]]:
    """household id → (income not fixed, a member able to work) on ``as_of``. Whether a member is able to work is
    the engine's answer under the household's profile (``eligibility.facts.member_facts``; S2 Art 5), never an age
    written here; irregular income is registry evidence (flexible or self-employment). ``households`` come with
    their region chain (``REGION_CHAIN``)."""
    from doudi.eligibility.facts import member_facts

    snaps = household_snapshots(households, as_of=as_of)
    able = member_facts(snaps, as_of)
    pids = [m.person.pk for s in snaps for m in s.members]
    irregular = set(Employment.objects.filter(person_id__in=pids, status__in=IRREGULAR).as_of(as_of)
                    .values_list("person_id", flat=True))
    out: dict[int, tuple[bool, bool]] = {}
    for snap in snaps:
        ids = [m.person.pk for m in snap.members]
        out[snap.household.pk] = (any(p in irregular for p in ids),
                                  any((able.get(p) or {}).get("able_to_work") for p in ids))
    return out


class _ParamsCache:
    def __init__(self, as_of: dt.date):
        self.as_of, self.cache = as_of, {}

    def __call__(self, household):
        from doudi.eligibility.services import params_for
        from doudi.policy.loader import ProfileError

        profile = household.region.effective_profile()
        key = (profile, household.area_type)
        if key not in self.cache:
            try:
                self.cache[key] = params_for(profile, as_of=self.as_of, area=household.area_type)
            except ProfileError:
                # A profile that cannot be read: the review cycles fall back to the national defaults
                # (``schedule.DEFAULT_MONTHS``), and the failure is logged, not hidden.
                logger.warning("review scan: profile %s unreadable on %s; default review cycles used", profile,
                               self.as_of, exc_info=True)
                self.cache[key] = None
        return self.cache[key]


def tasks_for(ents: list[Entitlement], *, as_of: dt.date, params: Callable | None = None) -> list[ReviewTask]:
    """The tasks these entitlements need on ``as_of`` that do not exist yet (unsaved)."""
    params = params or _ParamsCache(as_of)
    hids = sorted({e.household_id for e in ents})
    eids = [e.pk for e in ents]
    facts = household_facts(list({e.household_id: e.household for e in ents}.values()), as_of=as_of)
    existing = set(ReviewTask.objects.filter(entitlement_id__in=eids).values_list("entitlement_id", "reason", "key"))
    open_periodic = set(ReviewTask.objects.filter(
        entitlement_id__in=eids, reason=ReviewReason.PERIODIC,
        status__in=[ReviewStatus.OPEN, ReviewStatus.IN_PROGRESS]).values_list("entitlement_id", flat=True))
    # The cycle restarts at the last completed review of the household's benefit of that program for the same person
    # (特困 and the special groups are per person; an adjustment creates a new entitlement; the review that led to it
    # still counts).
    last_done = {(h, p, who): d for h, p, who, d in ReviewTask.objects.filter(
        household_id__in=hids, status=ReviewStatus.DONE).values_list(
        "household_id", "entitlement__program", "entitlement__person_id").annotate(d=Max("decided_on"))
        .values_list("household_id", "entitlement__program", "entitlement__person_id", "d")}
    deaths: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    for hid, pid, dod, start, end in Membership.objects.filter(
            household_id__in=hids, person__date_of_death__isnull=False, person__date_of_death__lte=as_of
    ).values_list("household_id", "person_id", "person__date_of_death", "valid_from", "valid_to"):
        if start <= dod and (end is None or end >= dod):
            deaths[hid].append((pid, dod))

    out: list[ReviewTask] = []
    for ent in ents:
        irregular, able = facts.get(ent.household_id, (False, False))
        category = schedule.review_category(ent.program, irregular_income=irregular, able_member=able)
        months = schedule.cycle_months(category, params(ent.household))
        if ent.pk not in open_periodic:
            anchor = last_done.get((ent.household_id, ent.program, ent.person_id)) or ent.start_month
            due = schedule.periodic_due(anchor, months)
            key = f"periodic:{due.isoformat()}"
            # an entitlement that ends before the review falls due (a child's allowance at the engine's last month)
            # needs no periodic review
            ends_first = ent.end_month is not None and due >= schedule.add_months(ent.end_month, 1)
            if (schedule.is_due(due, as_of) and not ends_first
                    and (ent.pk, ReviewReason.PERIODIC, key) not in existing):
                out.append(ReviewTask(entitlement=ent, household_id=ent.household_id, reason=ReviewReason.PERIODIC,
                                      key=key, category=category, cycle_months=months, due_on=due))
        for pid, dod in deaths.get(ent.household_id, []):
            key = f"death:{pid}"
            # Deaths before the benefit started were part of the decision; later ones need the 3-month check
            # (S5 §1(3)).
            if dod >= ent.start_month and (ent.pk, ReviewReason.DEATH, key) not in existing:
                out.append(ReviewTask(entitlement=ent, household_id=ent.household_id, reason=ReviewReason.DEATH,
                                      key=key, category=category, cycle_months=months, person_id=pid,
                                      due_on=schedule.death_due(dod, _death_months(params(ent.household))),
                                      note=_("成员于%(d)s死亡") % {"d": dod}))
    return out


def _death_months(params) -> int | None:
    from doudi.rules.procedure import timelines

    return timelines(params).death_check_months if params is not None else None


def _entitlements(region: Region, as_of: dt.date):
    # not one whose last month has passed (a child's allowance ended at the engine's ``last_month``)
    return Entitlement.objects.filter(program__in=REVIEWED_PROGRAMS, status__in=LIVE, start_month__lte=as_of,
                                      household__region__code__startswith=region.prefix).exclude(
        end_month__lt=as_of.replace(day=1))


def review_scan(*, actor: User, region_code: str, as_of: dt.date, chunk_size: int | None = None,
                max_chunks: int | None = None, progress: Callable[[ReviewScan], None] | None = None) -> ReviewScan:
    """Create the due review tasks of one jurisdiction: periodic reviews by category ([000] 三(二)4; S1 Art 31) and
    death checks (S5 §1(3)). ``actor`` None = an operator on the server ("system")."""
    region = Region.objects.filter(code=region_code).first()
    if region is None or (actor is not None and not allows(actor, Action.CHANGE, region.code)):
        raise NotFoundOrForbidden(_("未找到该辖区，或不在您的辖区内"))
    chunk_size = chunk_size or CHUNK
    scan, _created = ReviewScan.objects.get_or_create(region=region, as_of=as_of,
                                                     defaults={"started_by": actor if actor else None})
    if scan.state == ScanState.DONE:
        return scan
    base = _entitlements(region, as_of)
    ReviewScan.objects.filter(pk=scan.pk).update(total_count=base.count())
    params = _ParamsCache(as_of)
    chunks = 0
    while max_chunks is None or chunks < max_chunks:
        scan.refresh_from_db()
        ents = list(base.filter(pk__gt=scan.cursor).select_related(REGION_CHAIN).order_by("pk")[:chunk_size])
        if not ents:
            with transaction.atomic():
                if ReviewScan.objects.filter(pk=scan.pk, state=ScanState.RUNNING).update(state=ScanState.DONE):
                    audit_record(actor=actor, action=AuditAction.CREATE, obj=scan, region_code=region.code,
                                 changes={"as_of": as_of, "created": scan.created_count, "done": scan.done_count})
            break
        rows = tasks_for(ents, as_of=as_of, params=params)
        with transaction.atomic():
            claimed = ReviewScan.objects.filter(pk=scan.pk, cursor=scan.cursor).update(
                cursor=ents[-1].pk, done_count=F("done_count") + len(ents),
                created_count=F("created_count") + len(rows), heartbeat_at=timezone.now())
            if claimed:
                for row in rows:
                    row.created_by = actor if getattr(actor, "pk", None) else None
                ReviewTask.objects.bulk_create(rows, ignore_conflicts=True)
        chunks += 1
        if progress is not None:
            scan.refresh_from_db()
            progress(scan)
    scan.refresh_from_db()
    return scan
