"""The dated facts of one stored household of the synthetic population: memberships, income and work, health,
schooling and circumstances, property, and supporters living elsewhere. A mixin of the population generator, which
gives it ``rng``, ``today``, ``fake``, ``ids`` and ``adults_by_year``."""

from __future__ import annotations

import datetime as dt

from doudi.demo import economy
from doudi.demo.composition import Member, birth_for_age
from doudi.demo.dates import add_years, between, month_start
from doudi.demo.identity import mobile, person_name, surname_of
from doudi.regions.choices import AreaType
from doudi.registry.choices import (
    CircumstanceKind,
    DisabilityType,
    EmploymentStatus,
    EvidenceSource,
    IncomeKind,
    Relationship,
)
from doudi.registry.models import (
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


class HouseholdFacts:
    def evidence(
        self,
        household: Household,
        members: list[Member],
        persons: list[Person],
        kind: str,
        tier: str,
        rows: dict[type, list],
    ) -> list[Person]:
        """Memberships and dated facts of one stored household into ``rows``; returns supporters living elsewhere
        (persons still to be stored)."""
        rng, today = self.rng, self.today
        recent = month_start(today - dt.timedelta(days=rng.randint(30, 900)))
        for m, p in zip(members, persons, strict=True):
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
            # The order of these calls is the order of the random draws: keep it, or the seed makes another city.
            self._income_and_work(m, p, since, rows)
            self._health(m, p, since, rows)
            self._schooling_and_circumstances(m, p, rows)
        head = persons[0]
        self._assets(household, head, tier, rows)
        if household.area_type == AreaType.RURAL and rng.random() < (0.35 if tier != economy.ORDINARY else 0.03):
            rows[Circumstance].append(
                Circumstance(
                    person=head,
                    kind=CircumstanceKind.REGISTERED_POOR,
                    valid_from=dt.date(rng.choice((2016, 2017, 2018, 2019)), 12, 1),
                    source=EvidenceSource.DEPARTMENT,
                    note="脱贫户",
                )
            )
        if economy.is_supported_elder(kind, members, tier, today):
            return self._supporters(household, members, persons, rows)
        return []

    def _income_and_work(self, m: Member, p: Person, since: dt.date, rows: dict[type, list]) -> None:
        rng, V, D, INV = self.rng, EvidenceSource.VERIFIED, EvidenceSource.DEPARTMENT, EvidenceSource.INVESTIGATED
        for inc_kind, fen, note in m.incomes:
            source = (
                D
                if inc_kind in (IncomeKind.BASIC_PENSION, IncomeKind.ELDERLY_ALLOWANCE)
                else (rng.choice((EvidenceSource.DECLARED, V, INV)))
            )
            rows[Income].append(
                Income(person=p, kind=inc_kind, monthly_fen=fen, valid_from=since, source=source, note=note)
            )
        if m.status and m.age_on(self.today) >= 16:
            employer = rng.choice(_EMPLOYERS) if m.status == EmploymentStatus.EMPLOYED else ""
            rows[Employment].append(Employment(person=p, status=m.status, employer=employer, valid_from=since))
        if m.work_ability:
            rows[WorkAbility].append(WorkAbility(person=p, level=m.work_ability, valid_from=since, source=INV))
        for exp_kind, fen in m.expenses:
            rows[Expense].append(Expense(person=p, kind=exp_kind, monthly_fen=fen, valid_from=since))

    def _health(self, m: Member, p: Person, since: dt.date, rows: dict[type, list]) -> None:
        rng, today, age, D = self.rng, self.today, m.age_on(self.today), EvidenceSource.DEPARTMENT
        if m.disability:
            dtype, grade = m.disability
            certified = between(rng, add_years(m.birth_date, min(age, 3)), today - dt.timedelta(days=60))
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
                    valid_from=month_start(today - dt.timedelta(days=rng.randint(30, 700))),
                    source=EvidenceSource.INVESTIGATED,
                    **{a: a not in failed for a in SelfCareAssessment.ACTIVITIES},
                )
            )

    def _schooling_and_circumstances(self, m: Member, p: Person, rows: dict[type, list]) -> None:
        rng, today, age, D = self.rng, self.today, m.age_on(self.today), EvidenceSource.DEPARTMENT
        if m.school:
            start_age = {"preschool": 3, "compulsory": 6, "high_school": 15, "vocational": 15}.get(m.school, 18)
            start = dt.date(m.birth_date.year + start_age + (1 if m.birth_date.month > 8 else 0), 9, 1)
            rows[Schooling].append(Schooling(person=p, level=m.school, valid_from=min(start, today), source=D))
        if 20 <= age <= 55 and m.sex == "M" and rng.random() < 0.003:
            rows[Circumstance].append(
                Circumstance(
                    person=p,
                    kind=CircumstanceKind.IMPRISONED,
                    valid_from=between(rng, today - dt.timedelta(days=1500), today),
                    valid_to=add_years(today, rng.randint(1, 6)),
                    source=D,
                )
            )
        elif age >= 20 and rng.random() < 0.0008:
            rows[Circumstance].append(
                Circumstance(
                    person=p,
                    kind=CircumstanceKind.CLERGY_APART,
                    valid_from=add_years(m.birth_date, 20),
                    note="宗教教职人员",
                )
            )

    def _assets(self, household: Household, head: Person, tier: str, rows: dict[type, list]) -> None:
        since = month_start(self.today - dt.timedelta(days=self.rng.randint(30, 700)))
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
