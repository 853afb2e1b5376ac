"""The synthetic population of the demo city: households, people, memberships and dated evidence.

``generate()`` writes straight to the tables with ``bulk_create`` (no audit rows: this is seed data, not a
caseworker's act) in chunks of households, each chunk in one transaction. It is deterministic for a seed and a
reference date. Resident IDs are never printed or logged.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from faker import Faker

from doudi.demo import economy
from doudi.demo.composition import Member, compose
from doudi.demo.dates import add_years, between
from doudi.demo.facts import HouseholdFacts
from doudi.demo.identity import ResidentIdFactory, address, bank_account, mobile, person_name
from doudi.demo.regions import CITY_CODE, DEMO_REGIONS, DemoRegion, demo_villages, is_demo_code
from doudi.regions.choices import AreaType, Level
from doudi.registry.choices import (
    EvidenceSource,
    IncomeKind,
    Relationship,
)
from doudi.registry.models import (
    EVIDENCE_MODELS,
    Household,
    Income,
    Membership,
    Person,
    SupportObligation,
)

DEFAULT_SEED = 20260101
# A fixed "today" keeps the data identical between runs; every open-ended fact is current from then on.
REFERENCE_DATE = dt.date(2026, 11, 1)
CHUNK = 500
_ETHNICITIES = (
    ("汉族", 78),
    ("蒙古族", 10),
    ("达斡尔族", 3),
    ("满族", 3),
    ("鄂温克族", 2),
    ("回族", 2),
    ("鄂伦春族", 1),
    ("朝鲜族", 1),
)


@dataclass
class GenerationResult:
    households: int = 0
    persons: int = 0
    evidence: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def demo_households():
    return Household.objects.filter(region__code__startswith=CITY_CODE[:4])


def demo_data_present() -> bool:
    return demo_households().exists()


@transaction.atomic
def delete_demo_population() -> int:
    """Remove the demo city's households, their members and the supporters recorded for them; returns households."""
    members = Membership.objects.filter(household__in=demo_households()).values_list("person_id", flat=True)
    person_ids = set(members)
    person_ids |= set(SupportObligation.objects.filter(person_id__in=person_ids).values_list("supporter_id", flat=True))
    # Keep anyone who also belongs to a household outside the demo city.
    person_ids -= set(
        Membership.objects.filter(person_id__in=person_ids)
        .exclude(household__in=demo_households())
        .values_list("person_id", flat=True)
    )
    SupportObligation.objects.filter(person_id__in=person_ids).delete()
    SupportObligation.objects.filter(supporter_id__in=person_ids).delete()
    count = demo_households().count()
    demo_households().delete()
    Person.objects.filter(pk__in=person_ids).delete()
    return count


class _Generator(HouseholdFacts):
    def __init__(self, seed: int, today: dt.date):
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.today = today
        self.ids = ResidentIdFactory(self.rng, used=set(Person.objects.values_list("id_number", flat=True)))
        self.by_code = {r.code: r for r in DEMO_REGIONS}
        # Adults already stored, by birth year, who can be named as an elder's child living elsewhere.
        self.adults_by_year: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self.next_seq: dict[str, int] = {}

    # --- one household, in memory ---------------------------------------------------------------------------
    def household(self, village: DemoRegion) -> tuple[Household, list[Member], str, str]:
        rng, today = self.rng, self.today
        urban = village.area_type == AreaType.URBAN
        kind, members = compose(rng, urban=urban, today=today)
        self._people(members, county=village.code[:6])
        tier = economy.choose_tier(rng, kind, members, today, urban=urban)
        economy.add_work_and_income(rng, kind, members, tier, today, urban=urban)
        for m in members:
            economy.add_expenses(rng, m)
        self._joined(members)
        return self._household_row(village, members, tier), members, kind, tier

    def _people(self, members: list[Member], *, county: str) -> None:
        """Names (children take the father's surname), ethnicity, resident ID, phone and health of each member."""
        rng, today = self.rng, self.today
        ethnicity = rng.choices([e for e, _ in _ETHNICITIES], [w for _, w in _ETHNICITIES])[0]
        head = members[0]
        head_surname = self.fake.last_name()
        father_surname = head_surname if head.sex == "M" else self.fake.last_name()
        for m in members:
            if m.relationship in (Relationship.CHILD, Relationship.GRANDCHILD):
                m.surname = father_surname if m.relationship == Relationship.CHILD else head_surname
            elif m.relationship == Relationship.HEAD:
                m.surname = head_surname
            m.name = person_name(self.fake, m.sex, m.surname)
            m.ethnicity = ethnicity if rng.random() < 0.9 else "汉族"
            m.id_number = self.ids.make(birth_date=m.birth_date, sex=m.sex, county=county)
            if m.age_on(today) >= 18 and rng.random() < 0.85:
                m.phone = mobile(rng)
            economy.add_health(rng, m, today)

    def _joined(self, members: list[Member]) -> None:
        """The household was set up when the head was at least 20, between 1985 and last year."""
        rng, today, head = self.rng, self.today, members[0]
        founded = between(
            rng, max(add_years(head.birth_date, 20), dt.date(1985, 1, 1)), today - dt.timedelta(days=365)
        )
        for m in members:
            m.joined = max(founded, m.birth_date)
            if m.relationship in (Relationship.PARENT, Relationship.CHILD_IN_LAW):
                m.joined = between(rng, founded, today - dt.timedelta(days=200))

    def _household_row(self, village: DemoRegion, members: list[Member], tier: str) -> Household:
        rng, head = self.rng, members[0]
        urban = village.area_type == AreaType.URBAN
        county = village.code[:6]
        if village.code not in self.next_seq:
            self.next_seq[village.code] = self._start_seq(village.code)
        self.next_seq[village.code] += 1
        seq = self.next_seq[village.code]
        township = self.by_code[village.code[:9] + "000"]
        # Most households have a card for payments; poorer ones more often, since benefits are paid to one.
        has_account = rng.random() < (0.9 if tier != economy.ORDINARY else 0.8)
        bank, account = bank_account(rng, urban=urban) if has_account else ("", "")
        hukou_elsewhere = urban and rng.random() < 0.03
        return Household(
            number=f"{village.code}{seq:06d}",
            region_id=village.code,
            hukou_region_id=(
                rng.choice([v.code for v in demo_villages() if v.area_type == AreaType.RURAL])
                if hukou_elsewhere
                else None
            ),
            has_residence_permit=hukou_elsewhere,
            address=address(
                rng,
                county=self.by_code[county + "000000"].name,
                township=township.name,
                village=village.name,
                urban=urban,
            ),
            area_type=village.area_type,
            phone=next((m.phone for m in members if m.phone), ""),
            bank_name=bank,
            bank_account=account,
            account_holder=head.name if account else "",
        )

    def _start_seq(self, village_code: str) -> int:
        last = (
            Household.objects.filter(number__startswith=village_code)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        return int(last[12:]) if last else 0

    # --- chunked writing ---------------------------------------------------------------------------------------
    def write_chunk(self, villages: list[DemoRegion], result: GenerationResult) -> None:
        built = [self.household(v) for v in villages]
        with transaction.atomic():
            households = Household.objects.bulk_create([h for h, _, _, _ in built], batch_size=1000)
            person_lists = [
                [
                    Person(
                        id_number=m.id_number,
                        name=m.name,
                        sex=m.sex,
                        birth_date=m.birth_date,
                        ethnicity=m.ethnicity,
                        phone=m.phone,
                    )
                    for m in ms
                ]
                for _, ms, _, _ in built
            ]
            # bulk_create sets primary keys on SQLite ≥ 3.35 and PostgreSQL.
            Person.objects.bulk_create([p for ps in person_lists for p in ps], batch_size=1000)
            for h, (_, ms, _, _), ps in zip(households, built, person_lists, strict=True):
                for m, p in zip(ms, ps, strict=True):
                    if 25 <= m.age_on(self.today) <= 60:
                        self.adults_by_year[m.birth_date.year].append((p.pk, h.pk))
            rows: dict = defaultdict(list)
            externals: list[Person] = []
            for h, (_, ms, kind, tier), ps in zip(households, built, person_lists, strict=True):
                externals += self.evidence(h, ms, ps, kind, tier, rows)
            Person.objects.bulk_create(externals)
            for supporter, parents, since in rows.pop("external", []):
                rows[SupportObligation] += [
                    SupportObligation(
                        person=parent, supporter=supporter, relationship=Relationship.CHILD, valid_from=since
                    )
                    for parent in parents
                ]
                fen = economy.yuan(self.rng, 3000, 0.5, low=800)
                rows[Income].append(
                    Income(
                        person=supporter,
                        kind=IncomeKind.WAGE,
                        monthly_fen=fen,
                        valid_from=since,
                        source=EvidenceSource.VERIFIED,
                        note="外地务工（赡养义务人）",
                    )
                )
            Membership.objects.bulk_create(rows.pop(Membership, []), batch_size=1000)
            for model in EVIDENCE_MODELS:
                objs = rows.get(model, [])
                model.objects.bulk_create(objs, batch_size=1000)
                result.evidence[model.__name__] += len(objs)
            result.households += len(households)
            result.persons += sum(len(ps) for ps in person_lists) + len(externals)


def generate(
    households: int = 8000,
    seed: int = DEFAULT_SEED,
    *,
    today: dt.date = REFERENCE_DATE,
    progress: Callable[[int, int], None] | None = None,
) -> GenerationResult:
    """Generate ``households`` households across the demo villages (build_demo_regions() must have run)."""
    gen = _Generator(seed, today)
    villages = demo_villages()
    assert all(is_demo_code(v.code) and v.level == Level.VILLAGE for v in villages)
    weights = [v.weight for v in villages]
    result = GenerationResult()
    done = 0
    while done < households:
        n = min(CHUNK, households - done)
        gen.write_chunk(gen.rng.choices(villages, weights, k=n), result)
        done += n
        if progress is not None:
            progress(done, households)
    return result


__all__ = [
    "DEFAULT_SEED",
    "REFERENCE_DATE",
    "GenerationResult",
    "delete_demo_population",
    "demo_data_present",
    "generate",
]
