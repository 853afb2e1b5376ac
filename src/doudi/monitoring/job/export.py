"""Export what the matching job needs from the database to Parquet, for one jurisdiction and day.

Only integer keys and codes leave the database: the person and household ids (int64 surrogate keys), the village
code as a number, category and flag bit masks, amounts in fen; a bank account becomes a 64-bit hash (shared
accounts are found without the number ever leaving). Resident IDs stay out of the files and out of the join.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.db.models import Sum

from doudi.monitoring.choices import Category
from doudi.monitoring.job.tables import (
    SCHEMAS,
    RuleInForce,
    records_by_household,
    rules_frame,
    rules_in_force,
    write_table,
)
from doudi.monitoring.models import FeedRow, LowIncomeMember, Screening
from doudi.monitoring.models.feeds import RowMatch
from doudi.monitoring.services.lowincome import profiles_of
from doudi.regions.models import Region
from doudi.registry.models import Household, Income, Membership
from doudi.rules.monitoring import (
    CATEGORY_BITS,
    FEED_NUMBERS,
    HOUSEHOLD_FLAG_BITS,
    PERSON_FLAG_BITS,
    hash_key,
    month_index,
)

PAID = (Category.DIBAO, Category.TEKUN)


@dataclass
class Exported:
    rules: list[RuleInForce] = field(default_factory=list)
    persons: int = 0
    households: int = 0
    records: int = 0


def _screened(region: Region) -> dict[int, Screening]:
    flagged = Screening.objects.filter(region__code__startswith=region.prefix)
    return {s.household_id: s for s in flagged}


def _hflags(s: Screening | None) -> int:
    if s is None:
        return 0
    bits = HOUSEHOLD_FLAG_BITS
    return ((bits["engine_dibao"] if s.dibao_eligible else 0) | (bits["engine_tekun"] if s.tekun_eligible else 0)
            | (bits["engine_margin"] if s.margin else 0) | (bits["engine_rigid"] if s.rigid else 0))


def _cadre_relatives(id_numbers: dict[int, str]) -> set[int]:
    # The relatives register (近亲属备案, S1 Art 11) is kept by the case workflow.
    from doudi.relatives.models import CadreRelative

    registered = set(CadreRelative.objects.filter(relative_id_number__in=set(id_numbers.values()))
                     .values_list("relative_id_number", flat=True))
    return {pid for pid, number in id_numbers.items() if number in registered}


def _breadwinners(members: dict[int, list[int]], as_of: dt.date) -> set[int]:
    """The member with the largest current income in each household (the family's main earner)."""
    pids = [p for ps in members.values() for p in ps]
    income = dict(Income.objects.filter(person_id__in=pids).as_of(as_of).values("person_id")
                  .annotate(total=Sum("monthly_fen")).values_list("person_id", "total"))
    out = set()
    for ps in members.values():
        best = max(ps, key=lambda p: (income.get(p, 0), -p), default=None)
        if best is not None and income.get(best, 0) > 0:
            out.add(best)
    return out


def export_inputs(*, region: Region, as_of: dt.date, workdir: Path) -> Exported:
    workdir.mkdir(parents=True, exist_ok=True)
    screened = _screened(region)
    entries = list(LowIncomeMember.objects.filter(region__code__startswith=region.prefix).as_of(as_of)
                   .values_list("person_id", "household_id", "category"))
    hids = {h for _p, h, _c in entries} | {h for h, s in screened.items() if _hflags(s)}
    households = list(Household.objects.filter(pk__in=hids).select_related("region").order_by("pk"))
    village_profile = profiles_of(h.region for h in households)
    profiles = sorted(set(village_profile.values()) | {region.effective_profile()})
    profile_ids = {p: i + 1 for i, p in enumerate(profiles)}

    person_cats: dict[tuple[int, int], int] = defaultdict(int)
    for pid, hid, category in entries:
        person_cats[(pid, hid)] |= CATEGORY_BITS[category]
    members: dict[int, list[int]] = defaultdict(list)
    id_numbers: dict[int, str] = {}
    for hid, pid, number in (Membership.objects.filter(household_id__in=hids).as_of(as_of)
                             .values_list("household_id", "person_id", "person__id_number")):
        members[hid].append(pid)
        id_numbers[pid] = number
    earners, relatives = _breadwinners(members, as_of), _cadre_relatives(id_numbers)
    paid_bits = CATEGORY_BITS[Category.DIBAO] | CATEGORY_BITS[Category.TEKUN]

    person_rows, household_rows = [], []
    for h in households:
        cats = paid = 0
        for pid in members.get(h.pk, []):
            c = person_cats.get((pid, h.pk), 0)
            flags = (PERSON_FLAG_BITS["breadwinner"] if pid in earners else 0) | (
                PERSON_FLAG_BITS["cadre_relative"] if pid in relatives else 0)
            person_rows.append((pid, h.pk, c, int(bool(c & paid_bits)), flags))
            cats |= c
            paid |= int(bool(c & paid_bits))
        s = screened.get(h.pk)
        household_rows.append((
            h.pk, int(h.region_id), profile_ids[village_profile[h.region_id]], cats, paid, _hflags(s),
            s.standard_fen if s else 0, s.counted_members if s else 0, s.income_fen if s else 0,
            hash_key(h.bank_account) if h.bank_account.strip() else 0))
    rules = rules_in_force(profiles, as_of)
    now = month_index(as_of.year, as_of.month)
    oldest = now - max((r.spec["window_months"] for r in rules), default=1) + 1
    # Rows were bound to their uploader's area when loaded (a person is set only for residents of that area); here
    # only rows about the exported people, or about villages of this jurisdiction, go to the job.
    person_ids = set(id_numbers)
    records = [
        {"rkey": pk, "feed": FEED_NUMBERS[feed], "pkey": person or 0, "vkey": int(village) if village else 0,
         "mon": mon, "cbit": 1 << code, "amount": amount, "grade": grade, "item": item}
        for pk, feed, person, village, mon, code, amount, grade, item in FeedRow.objects.filter(
            match__in=[RowMatch.MATCHED, RowMatch.AREA], month__gte=oldest, month__lte=now,
        ).values_list("pk", "feed", "person_id", "village_id", "month", "code", "amount_fen", "grade", "item_key")
        if (person and person in person_ids) or (village and village.startswith(region.prefix))
    ]
    persons = _frame("persons", person_rows)
    write_table(workdir, "persons", persons)
    write_table(workdir, "households", _frame("households", household_rows))
    raw = pl.DataFrame(records, schema={c: t for c, t in SCHEMAS["records"].items() if c != "hkey"})
    write_table(workdir, "records", records_by_household(raw, persons))
    write_table(workdir, "rules", rules_frame(rules, profile_ids, as_of))
    return Exported(rules=rules, persons=len(person_rows), households=len(household_rows), records=len(records))


def _frame(name: str, rows: list[tuple]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=SCHEMAS[name], orient="row")
