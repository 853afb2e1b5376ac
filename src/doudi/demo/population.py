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
from doudi.demo.composition import Member, birth_for_age, compose
from doudi.demo.identity import ResidentIdFactory, address, bank_account, mobile, person_name, surname_of
from doudi.demo.regions import CITY_CODE, DEMO_REGIONS, DemoRegion, demo_villages, is_demo_code
from doudi.regions.choices import AreaType, Level
from doudi.registry.choices import (
    CircumstanceKind,
    DisabilityType,
    EmploymentStatus,
    EvidenceSource,
    IncomeKind,
    Relationship,
)
from doudi.registry.models import (
    EVIDENCE_MODELS,
    Asset,
    Circumstance,
    Disability,
    Employment,
    Expense,
    Household,
    Illness,
    Income,
    Membership,
    Person,
    Schooling,
    SelfCareAssessment,
    SupportObligation,
    WorkAbility,
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
_EMPLOYERS = (
    "海拉尔区环卫中心",
    "呼伦贝尔农垦集团",
    "扎兰屯市第一中学",
    "个体商户",
    "物业公司",
    "建筑工地",
    "超市",
    "餐馆",
    "快递站点",
    "乳业公司",
    "供热公司",
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


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class _Generator:
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
        county = village.code[:6]
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
        tier = economy.choose_tier(rng, kind, members, today, urban=urban)
        economy.add_work_and_income(rng, kind, members, tier, today, urban=urban)
        for m in members:
            economy.add_expenses(rng, m)
        # The household was set up when the head was at least 20, between 1985 and last year.
        founded = _between(
            rng, max(_add_years(head.birth_date, 20), dt.date(1985, 1, 1)), today - dt.timedelta(days=365)
        )
        for m in members:
            m.joined = max(founded, m.birth_date)
            if m.relationship in (Relationship.PARENT, Relationship.CHILD_IN_LAW):
                m.joined = _between(rng, founded, today - dt.timedelta(days=200))
        if village.code not in self.next_seq:
            self.next_seq[village.code] = self._start_seq(village.code)
        self.next_seq[village.code] += 1
        seq = self.next_seq[village.code]
        township = self.by_code[village.code[:9] + "000"]
        # Most households have a card for payments; poorer ones more often, since benefits are paid to one.
        has_account = rng.random() < (0.9 if tier != economy.ORDINARY else 0.8)
        bank, account = bank_account(rng, urban=urban) if has_account else ("", "")
        hukou_elsewhere = urban and rng.random() < 0.03
        household = Household(
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
        return household, members, kind, tier

    def _start_seq(self, village_code: str) -> int:
        last = (
            Household.objects.filter(number__startswith=village_code)
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        return int(last[12:]) if last else 0

    # --- evidence rows for one stored household ---------------------------------------------------------------
    def evidence(
        self,
        household: Household,
        members: list[Member],
        persons: list[Person],
        kind: str,
        tier: str,
        rows: dict[type, list],
    ) -> list[Person]:
        rng, today = self.rng, self.today
        V, D, INV = EvidenceSource.VERIFIED, EvidenceSource.DEPARTMENT, EvidenceSource.INVESTIGATED
        extra_people: list[Person] = []
        recent = _month_start(today - dt.timedelta(days=rng.randint(30, 900)))
        for m, p in zip(members, persons, strict=True):
            age = m.age_on(today)
            since = max(recent, m.joined or m.birth_date)
            rows[Membership].append(
                Membership(
                    household=household,
                    person=p,
                    relationship=m.relationship,
                    lives_together=m.lives_together,
                    valid_from=m.joined,
                )
            )
            for inc_kind, fen, note in m.incomes:
                source = (
                    D
                    if inc_kind in (IncomeKind.BASIC_PENSION, IncomeKind.ELDERLY_ALLOWANCE)
                    else (rng.choice((EvidenceSource.DECLARED, V, INV)))
                )
                rows[Income].append(
                    Income(person=p, kind=inc_kind, monthly_fen=fen, valid_from=since, source=source, note=note)
                )
            if m.status and age >= 16:
                employer = rng.choice(_EMPLOYERS) if m.status == EmploymentStatus.EMPLOYED else ""
                rows[Employment].append(Employment(person=p, status=m.status, employer=employer, valid_from=since))
            if m.work_ability:
                rows[WorkAbility].append(WorkAbility(person=p, level=m.work_ability, valid_from=since, source=INV))
            for exp_kind, fen in m.expenses:
                rows[Expense].append(Expense(person=p, kind=exp_kind, monthly_fen=fen, valid_from=since))
            if m.disability:
                dtype, grade = m.disability
                certified = _between(rng, _add_years(m.birth_date, min(age, 3)), today - dt.timedelta(days=60))
                rows[Disability].append(
                    Disability(person=p, type=dtype, grade=grade, valid_from=certified, source=D, note="第二代残疾人证")
                )
                if dtype in (DisabilityType.INTELLECTUAL, DisabilityType.MENTAL) and grade <= 2 and age >= 18:
                    rows[Circumstance].append(
                        Circumstance(person=p, kind=CircumstanceKind.NO_CIVIL_CAPACITY, valid_from=certified, source=D)
                    )
            if m.serious_illness:
                rows[Illness].append(
                    Illness(
                        person=p,
                        diagnosis=m.serious_illness,
                        serious=True,
                        chronic=rng.random() < 0.5,
                        valid_from=since,
                        source=D,
                    )
                )
            if m.chronic_illness:
                rows[Illness].append(
                    Illness(person=p, diagnosis=m.chronic_illness, chronic=True, valid_from=since, source=D)
                )
            if m.failed_activities is not None:
                failed = set(rng.sample(SelfCareAssessment.ACTIVITIES, m.failed_activities))
                rows[SelfCareAssessment].append(
                    SelfCareAssessment(
                        person=p,
                        valid_from=_month_start(today - dt.timedelta(days=rng.randint(30, 700))),
                        source=INV,
                        **{a: a not in failed for a in SelfCareAssessment.ACTIVITIES},
                    )
                )
            if m.school:
                start_age = {"preschool": 3, "compulsory": 6, "high_school": 15, "vocational": 15}.get(m.school, 18)
                start = dt.date(m.birth_date.year + start_age + (1 if m.birth_date.month > 8 else 0), 9, 1)
                rows[Schooling].append(Schooling(person=p, level=m.school, valid_from=min(start, today), source=D))
            if 20 <= age <= 55 and m.sex == "M" and rng.random() < 0.003:
                rows[Circumstance].append(
                    Circumstance(
                        person=p,
                        kind=CircumstanceKind.IMPRISONED,
                        valid_from=_between(rng, today - dt.timedelta(days=1500), today),
                        valid_to=_add_years(today, rng.randint(1, 6)),
                        source=D,
                    )
                )
            elif age >= 20 and rng.random() < 0.0008:
                rows[Circumstance].append(
                    Circumstance(
                        person=p,
                        kind=CircumstanceKind.CLERGY_APART,
                        valid_from=_add_years(m.birth_date, 20),
                        note="宗教教职人员",
                    )
                )
        head = persons[0]
        self._assets(household, head, tier, rows)
        if household.area_type == AreaType.RURAL and rng.random() < (0.35 if tier != economy.ORDINARY else 0.03):
            rows[Circumstance].append(
                Circumstance(
                    person=head,
                    kind=CircumstanceKind.REGISTERED_POOR,
                    valid_from=dt.date(rng.choice((2016, 2017, 2018, 2019)), 12, 1),
                    source=D,
                    note="脱贫户",
                )
            )
        if economy.is_supported_elder(kind, members, tier, today):
            extra_people += self._supporters(household, members, persons, rows)
        return extra_people

    def _assets(self, household: Household, head: Person, tier: str, rows: dict[type, list]) -> None:
        since = _month_start(self.today - dt.timedelta(days=self.rng.randint(30, 700)))
        urban = household.area_type == AreaType.URBAN
        for kind, fen, description, exempt in economy.household_assets(self.rng, tier, urban=urban):
            rows[Asset].append(
                Asset(
                    person=head,
                    kind=kind,
                    value_fen=fen,
                    description=description,
                    exempt=exempt,
                    valid_from=since,
                    source=EvidenceSource.VERIFIED,
                )
            )

    def _supporters(
        self, household: Household, members: list[Member], persons: list[Person], rows: dict[type, list]
    ) -> list[Person]:
        """Adult children living elsewhere, obliged to support both parents (民法典 Art 1067): some are residents of
        another demo household, some live outside the demo city."""
        rng, today = self.rng, self.today
        elder = members[0]
        parents = [p for m, p in zip(members, persons, strict=True) if m.age_on(today) >= 60]
        since = elder.joined or elder.birth_date
        created: list[Person] = []
        for _ in range(rng.choices((1, 2, 3), (4, 4, 2))[0]):
            year = elder.birth_date.year + rng.randint(22, 36)
            candidates = [c for c in self.adults_by_year.get(year, ()) if c[1] != household.pk]
            if candidates and rng.random() < 0.5:
                supporter_id = rng.choice(candidates)[0]
                rows[SupportObligation] += [
                    SupportObligation(
                        person=parent, supporter_id=supporter_id, relationship=Relationship.CHILD, valid_from=since
                    )
                    for parent in parents
                ]
                continue
            if year > today.year - 18:
                continue
            sex = rng.choice("MF")
            birth = birth_for_age(rng, today.year - year, today)
            surname = surname_of(elder.name) if sex == "M" or rng.random() < 0.3 else None
            supporter = Person(
                id_number=self.ids.make(birth_date=birth, sex=sex, county=household.region_id[:6]),
                name=person_name(self.fake, sex, surname),
                sex=sex,
                birth_date=birth,
                phone=mobile(rng),
            )
            created.append(supporter)
            rows["external"].append((supporter, parents, since))
        return created

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
