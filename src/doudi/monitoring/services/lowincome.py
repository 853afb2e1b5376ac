"""Keeping the low-income population database (一库) in step with the registry, the entitlements and the engine.

``lowincome_refresh`` is idempotent and can run any number of times for a jurisdiction and day:

1. **Screening**: the rules engine evaluates every household in the jurisdiction as of the day (grouped by policy
   profile and urban/rural area, each group under its own parameters) and the verdict is kept on ``Screening``.
   The engine decides; nothing here restates a standard, a multiple or a formula.
2. **Recipients**: persons covered by a live 低保/特困 entitlement are in the 低保/特困 category, from the
   entitlement's start; rows whose entitlement is no longer live are ended.
3. **Exit linkage** ([000] 三(二)4 "建立低保家庭、低收入家庭认定动态衔接机制"): a household that leaves 低保
   moves to the category the engine now gives it (低保边缘 or 刚性支出困难), with the reason recorded, instead
   of dropping out.
4. **防止返贫监测**: persons delivered by the rural-revitalisation feed are in the monitored category until the feed
   reports the risk removed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.benefits.choices import EntitlementStatus, Program
from doudi.benefits.models import Entitlement
from doudi.core.errors import NotFoundOrForbidden
from doudi.eligibility.adapter import household_inputs
from doudi.eligibility.services import params_for
from doudi.monitoring.choices import Category, EntrySource
from doudi.monitoring.errors import Code, MonitoringError
from doudi.monitoring.models import FeedRow, LowIncomeMember, Screening
from doudi.monitoring.models.feeds import RowMatch
from doudi.regions.models import Region
from doudi.registry.models import Household, Membership
from doudi.registry.selectors import household_snapshots
from doudi.rules import evaluate_households
from doudi.rules.monitoring import FEED_CODES

if TYPE_CHECKING:
    from doudi.accounts.models import User

CHUNK = 1000
LIVE = (EntitlementStatus.ACTIVE, EntitlementStatus.GRACE)
PROGRAM_CATEGORY = {Program.DIBAO: Category.DIBAO, Program.DIBAO_SINGLE: Category.DIBAO, Program.TEKUN: Category.TEKUN}
RELEASED = FEED_CODES["return_poverty"]["released"]


@dataclass
class RefreshResult:
    households: int = 0
    screened: int = 0
    opened: int = 0
    ended: int = 0
    linked: int = 0
    by_category: dict[str, int] = field(default_factory=dict)


def _region_for(actor: User, region_code: str) -> Region:
    region = Region.objects.filter(code=region_code).first()
    if region is None or (actor is not None and not allows(actor, Action.CHANGE, region.code)):
        raise NotFoundOrForbidden(_("未找到该辖区，或不在您的辖区内"))
    return region


# ------------------------------------------------------------------------------------------------- screening
def profiles_of(regions) -> dict[str, str]:
    """village code → policy profile in force there, one lookup per distinct village."""
    out: dict[str, str] = {}
    for region in regions:
        if region.code not in out:
            out[region.code] = region.effective_profile()
    return out


def _decide(households: list[Household], as_of: dt.date) -> dict[str, dict]:
    """household number → the engine's decision, each (profile, area) group under its own parameters."""
    inputs = household_inputs(household_snapshots(households, as_of=as_of))
    by_village = profiles_of(h.region for h in households)
    profile_of = {h.number: by_village[h.region_id] for h in households}
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for data in inputs:
        groups[(profile_of[data["id"]], data["area"])].append(data)
    out: dict[str, dict] = {}
    for (profile, area), items in groups.items():
        decisions = evaluate_households(items, params_for(profile, as_of=as_of, area=area), as_of, with_members=False)
        for data, decision in zip(items, decisions, strict=True):
            out[data["id"]] = decision
    return out


def _screen(households: list[Household], as_of: dt.date, covered: set[int]) -> list[Screening]:
    decisions = _decide(households, as_of)
    rows = []
    for h in households:
        d = decisions.get(h.number)
        if d is None:
            continue  # no members that day
        rows.append(Screening(
            household=h, region_id=h.region_id, as_of=as_of, profile=d["profile"], policy_version=d["policy_version"],
            dibao_eligible=bool(d["dibao"]["eligible"]), tekun_eligible=bool(d["tekun"]["eligible"]),
            margin=bool(d["margin"]["eligible"]), rigid=bool(d["rigid_difficulty"]["eligible"]),
            covered=h.pk in covered, standard_fen=int(d["standard_fen"] or 0),
            counted_members=int(d["counted_members"] or 0), income_fen=int(d["countable_income_fen"] or 0),
        ))
    return rows


def _store_screening(rows: list[Screening], household_ids: list[int]) -> None:
    """Replace the chunk's screening rows (derived data, nothing refers to them)."""
    Screening.objects.filter(household_id__in=household_ids).delete()
    Screening.objects.bulk_create(rows, batch_size=500)


# ------------------------------------------------------------------------------------------------ categories
def _covered_persons(ents: Iterable[Entitlement], members: dict[int, list[int]]) -> dict[tuple[int, int, str], str]:
    """(person, household, category) → source ref for every person a live entitlement covers."""
    out: dict[tuple[int, int, str], str] = {}
    for e in ents:
        category = PROGRAM_CATEGORY[e.program]
        if e.person_id:
            persons = [e.person_id]
        else:
            ids = (e.evaluation.result.get(e.program, {}).get("person_ids") if e.evaluation_id else None) or []
            persons = [int(p) for p in ids if str(p).isdigit()] or members.get(e.household_id, [])
        for pid in persons:
            out.setdefault((pid, e.household_id, category), f"entitlement:{e.pk}")
    return out


def _monitored_persons(household_ids: list[int], members: dict[int, list[int]]) -> dict[tuple[int, int, str], str]:
    """Persons the rural-revitalisation feed lists as monitored (latest row per person is not "released")."""
    person_household = {pid: hid for hid, pids in members.items() for pid in pids}
    latest: dict[int, tuple[int, int, int]] = {}
    rows = FeedRow.objects.filter(feed="return_poverty", match=RowMatch.MATCHED,
                                  person_id__in=list(person_household)).values_list("person_id", "month", "pk", "code")
    for pid, month, pk, code in rows:
        if pid not in latest or (month, pk) > latest[pid][:2]:
            latest[pid] = (month, pk, code)
    return {(pid, person_household[pid], Category.MONITORED): f"feed_row:{pk}"
            for pid, (_m, pk, code) in latest.items() if code != RELEASED}


def _sync_chunk(households: list[Household], as_of: dt.date, screening: dict[int, Screening], actor: User,
                result: RefreshResult) -> None:
    hids = [h.pk for h in households]
    region_of = {h.pk: h.region_id for h in households}
    members: dict[int, list[int]] = defaultdict(list)
    for hid, pid in Membership.objects.filter(household_id__in=hids).as_of(as_of).values_list("household_id",
                                                                                           "person_id"):
        members[hid].append(pid)
    ents = (Entitlement.objects.filter(household_id__in=hids, status__in=LIVE, program__in=list(PROGRAM_CATEGORY),
                                       start_month__lte=as_of)
            .filter(Q(end_month__isnull=True) | Q(end_month__gte=as_of.replace(day=1)))
            .select_related("evaluation"))
    start_of = {e.pk: e.start_month for e in ents}
    wanted = {**_covered_persons(ents, members), **_monitored_persons(hids, members)}
    auto = (Category.DIBAO, Category.TEKUN, Category.MONITORED)
    open_rows = list(LowIncomeMember.objects.filter(household_id__in=hids, valid_to__isnull=True,
                                                    category__in=[*auto, Category.MARGIN, Category.RIGID]))
    have = {(r.person_id, r.household_id, r.category) for r in open_rows}
    ended_dibao: set[int] = set()
    for row in open_rows:
        if row.category in auto and (row.person_id, row.household_id, row.category) not in wanted:
            row.valid_to = max(row.valid_from, as_of - dt.timedelta(days=1))  # inclusive: the last day it held
            row.end_reason = _("不再享受低保") if row.category == Category.DIBAO else (
                _("不再享受特困供养") if row.category == Category.TEKUN else _("防止返贫监测风险已消除"))
            row.save(update_fields=["valid_to", "end_reason"])
            result.ended += 1
            if row.category == Category.DIBAO:
                ended_dibao.add(row.household_id)
    new_rows = []
    for (pid, hid, category), ref in wanted.items():
        if (pid, hid, category) in have:
            continue
        since = start_of.get(int(ref.split(":")[1]), as_of) if ref.startswith("entitlement:") else as_of
        reason = {Category.DIBAO: _("享受最低生活保障"), Category.TEKUN: _("享受特困人员救助供养"),
                  Category.MONITORED: _("乡村振兴部门防止返贫监测对象")}[category]
        new_rows.append(LowIncomeMember(
            person_id=pid, household_id=hid, region_id=region_of[hid], category=category, reason=reason,
            source=EntrySource.FEED if category == Category.MONITORED else EntrySource.ENTITLEMENT,
            source_ref=ref, valid_from=since, recorded_by=actor if getattr(actor, "pk", None) else None))
    new_rows.extend(_exit_linkage(ended_dibao, members, screening, have, region_of, as_of, actor, result))
    LowIncomeMember.objects.bulk_create(new_rows, batch_size=500)
    result.opened += len(new_rows)


def _exit_linkage(ended: set[int], members, screening, have, region_of, as_of, actor: User, result) -> list:
    """Households that left 低保 today move to the low-income category the engine gives them now."""
    rows = []
    for hid in sorted(ended):
        s = screening.get(hid)
        if s is None or s.dibao_eligible or s.tekun_eligible:
            continue  # still eligible: the eligible-not-covered warning will bring it back
        category = Category.MARGIN if s.margin else Category.RIGID if s.rigid else None
        if category is None:
            continue
        label = _("低保边缘家庭") if category == Category.MARGIN else _("刚性支出困难家庭")
        reason = _("退出低保后经政策测算属%(c)s（低保、低收入家庭认定动态衔接）") % {"c": label}
        for pid in members.get(hid, []):
            if (pid, hid, category) not in have:
                rows.append(LowIncomeMember(
                    person_id=pid, household_id=hid, region_id=region_of[hid], category=category, reason=reason,
                    source=EntrySource.EXIT_LINKAGE, source_ref=f"screening:{s.policy_version}", valid_from=as_of,
                    recorded_by=actor if getattr(actor, "pk", None) else None))
        result.linked += 1
    return rows


def lowincome_refresh(*, actor: User, region_code: str, as_of: dt.date, chunk_size: int = CHUNK, screen: bool = True,
                      progress: Callable[[int, int], None] | None = None) -> RefreshResult:
    """Screen every household of the jurisdiction with the engine and bring the database in step (see module doc).
    ``screen=False`` keeps the last screening (categories only, e.g. right after a rural-revitalisation file).
    ``actor`` None = an operator on the server ("system")."""
    region = _region_for(actor, region_code)
    result = RefreshResult()
    base = Household.objects.filter(region__code__startswith=region.prefix).select_related("region").order_by("pk")
    total = base.count()
    last = 0
    while True:
        households = list(base.filter(pk__gt=last)[:chunk_size])
        if not households:
            break
        last = households[-1].pk
        hids = [h.pk for h in households]
        covered = set(Entitlement.objects.filter(household_id__in=hids, status__in=LIVE,
                                                 program__in=list(PROGRAM_CATEGORY)).values_list("household_id",
                                                                                                 flat=True))
        with transaction.atomic():
            if screen:
                rows = _screen(households, as_of, covered)
                _store_screening(rows, hids)
            else:
                rows = list(Screening.objects.filter(household_id__in=hids))
            _sync_chunk(households, as_of, {r.household_id: r for r in rows}, actor, result)
        result.households += len(households)
        result.screened += len(rows)
        if progress is not None:
            progress(result.households, total)
    result.by_category = _category_counts(region.prefix, as_of)
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.UPDATE, object_type="monitoring.lowincome",
                     object_repr=_("低收入人口库更新"), region_code=region.code,
                     changes={"as_of": as_of, "households": result.households, "opened": result.opened,
                              "ended": result.ended, "linked": result.linked})
    return result


def _category_counts(prefix: str, as_of: dt.date) -> dict[str, int]:
    rows = (LowIncomeMember.objects.filter(region__code__startswith=prefix).as_of(as_of)
            .values("category").annotate(n=Count("person", distinct=True)))
    return {r["category"]: r["n"] for r in rows}


@transaction.atomic
def lowincome_add(*, actor: User, household: Household, person_id: int, reason: str) -> LowIncomeMember:
    """A person a locality adds as 其他困难人员 (S7 §2(6)), with the reason; ended with ``lowincome_end``."""
    found = Household.objects.restrict(actor, Action.CHANGE).filter(pk=household.pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该家庭，或不在您的辖区内"))
    today = timezone.localdate()
    if not Membership.objects.filter(household=found, person_id=person_id).as_of(today).exists():
        raise MonitoringError(_("请选择该家庭的在册成员"), code=Code.NOT_MEMBER, field="person")
    if not reason.strip():
        raise MonitoringError(_("请写明纳入原因"), code=Code.REASON_REQUIRED, field="reason")
    if LowIncomeMember.objects.filter(person_id=person_id, household=found, category=Category.OTHER,
                                      valid_to__isnull=True).exists():
        raise MonitoringError(_("该人员已在低收入人口库中（其他困难人员）"), code=Code.ALREADY_IN)
    row = LowIncomeMember.objects.create(
        person_id=person_id, household=found, region_id=found.region_id, category=Category.OTHER,
        reason=reason.strip()[:200], source=EntrySource.MANUAL, valid_from=today, recorded_by=actor)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=row, region_code=found.region_id,
                 changes={"category": Category.OTHER}, reason=reason)
    return row


@transaction.atomic
def lowincome_end(*, actor: User, member: LowIncomeMember | int, reason: str) -> LowIncomeMember:
    """End a locally added entry (other categories follow entitlements, identifications and feeds)."""
    row = LowIncomeMember.objects.restrict(actor, Action.CHANGE).filter(pk=getattr(member, "pk", member)).first()
    if row is None:
        raise NotFoundOrForbidden(_("未找到该记录，或不在您的辖区内"))
    if row.source != EntrySource.MANUAL or row.valid_to is not None:
        raise MonitoringError(_("只有本地登记且仍有效的记录可以在此退出"), code=Code.NOT_MANUAL)
    if not reason.strip():
        raise MonitoringError(_("请写明退出原因"), code=Code.REASON_REQUIRED, field="reason")
    row.valid_to = max(row.valid_from, timezone.localdate())
    row.end_reason = reason.strip()[:200]
    row.save(update_fields=["valid_to", "end_reason"])
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=row, region_code=row.region_id,
                 changes={"valid_to": row.valid_to}, reason=reason)
    return row
