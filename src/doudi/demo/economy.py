"""Health, schooling, work and income of a synthetic household, with a realistic poor tail.

Amounts are monthly integer fen. Each household first gets an economic tier — poor (per-capita countable income
below the illustrative local standard), near-poor, or ordinary — with odds raised by the hardships that cause
poverty in the seed documents (severe disability, serious illness, single parent, no one able to work). Incomes are
drawn from the members' work, then scaled to land inside the tier, so the share of households below the standard
stays near 3–6 % whatever the random draw.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from doudi.demo.composition import Member
from doudi.registry.choices import (
    AssetKind,
    DisabilityType,
    EmploymentStatus,
    ExpenseKind,
    IncomeKind,
    SchoolLevel,
    WorkAbilityLevel,
)

# Illustrative 2026 standards, yuan per person per month (the policy profile holds the real ones).
STANDARD_FEN = {"urban": 90_000, "rural": 70_000}
COUNTABLE = frozenset(
    {IncomeKind.WAGE, IncomeKind.BUSINESS, IncomeKind.PROPERTY, IncomeKind.TRANSFER, IncomeKind.OTHER}
)

POOR, NEAR_POOR, ORDINARY, EXTREME = "poor", "near_poor", "ordinary", "extreme"

SERIOUS_DIAGNOSES = (
    "恶性肿瘤",
    "尿毒症（终末期肾病）",
    "白血病",
    "重性精神疾病",
    "脑卒中后遗症",
    "再生障碍性贫血",
    "血友病",
    "器官移植术后抗排异治疗",
    "耐多药肺结核",
)
CHRONIC_DIAGNOSES = (
    "高血压",
    "糖尿病",
    "冠心病",
    "慢性阻塞性肺疾病",
    "类风湿性关节炎",
    "慢性肾功能不全",
    "脑血管病后遗症",
    "慢性心力衰竭",
)
_DISABILITY_TYPES = (
    (DisabilityType.PHYSICAL, 45),
    (DisabilityType.VISUAL, 15),
    (DisabilityType.HEARING, 15),
    (DisabilityType.INTELLECTUAL, 8),
    (DisabilityType.MENTAL, 8),
    (DisabilityType.SPEECH, 3),
    (DisabilityType.MULTIPLE, 6),
)


def yuan(rng: random.Random, median: float, sigma: float, low: int = 0, high: int = 10**7) -> int:
    """A log-normal monthly amount in whole yuan, returned as integer fen."""
    value = rng.lognormvariate(math.log(median), sigma)
    return max(low, min(high, int(value))) * 100


def add_health(rng: random.Random, m: Member, today: dt.date) -> None:
    age = m.age_on(today)
    p_disabled = 0.02 if age < 18 else 0.05 if age < 60 else 0.12 if age < 80 else 0.2
    if rng.random() < p_disabled:
        kinds, weights = zip(*_DISABILITY_TYPES, strict=True)
        m.disability = (rng.choices(kinds, weights)[0], rng.choices((1, 2, 3, 4), (12, 22, 30, 36))[0])
    p_serious = 0.006 if age < 18 else 0.015 if age < 45 else 0.04 if age < 60 else 0.07
    if rng.random() < p_serious:
        m.serious_illness = rng.choice(SERIOUS_DIAGNOSES)
    p_chronic = 0.01 if age < 45 else 0.15 if age < 60 else 0.35
    if rng.random() < p_chronic:
        m.chronic_illness = rng.choice(CHRONIC_DIAGNOSES)
    grade = m.disability[1] if m.disability else 9
    if grade == 1:
        m.failed_activities = rng.randint(3, 6)
    elif grade == 2:
        m.failed_activities = rng.randint(1, 4)
    elif (age >= 75 and rng.random() < 0.35) or (age >= 60 and m.serious_illness and rng.random() < 0.4):
        m.failed_activities = rng.choices((0, 1, 2, 3, 4, 5, 6), (50, 12, 10, 8, 8, 6, 6))[0]
    # Schooling by age (学前 3–5, 义务教育 6–14, 高中/中职 15–17, 高等教育 18–22).
    if 3 <= age <= 5 and rng.random() < 0.8:
        m.school = SchoolLevel.PRESCHOOL
    elif 6 <= age <= 14:
        m.school = SchoolLevel.COMPULSORY
    elif 15 <= age <= 17:
        m.school = rng.choices((SchoolLevel.HIGH_SCHOOL, SchoolLevel.VOCATIONAL, None), (60, 25, 15))[0]
    elif 18 <= age <= 22 and rng.random() < 0.45:
        m.school = rng.choice((SchoolLevel.COLLEGE, SchoolLevel.BACHELOR, SchoolLevel.BACHELOR))
    if age >= 16 and m.school is None:
        if grade <= 2 or (m.failed_activities or 0) >= 1 or age >= 65:
            m.work_ability = WorkAbilityLevel.NONE
        elif grade <= 4 or m.serious_illness or age >= 60:
            m.work_ability = (
                rng.choice((WorkAbilityLevel.PARTIAL, WorkAbilityLevel.NONE))
                if m.serious_illness
                else (WorkAbilityLevel.PARTIAL)
            )
        else:
            m.work_ability = WorkAbilityLevel.FULL


def choose_tier(rng: random.Random, kind: str, members: list[Member], today: dt.date, *, urban: bool) -> str:
    head = members[0]
    able = [m for m in members if m.work_ability == WorkAbilityLevel.FULL and 18 <= m.age_on(today) < 60]
    vulnerable_single = len(members) == 1 and (head.age_on(today) >= 60 or (head.disability or ("", 9))[1] <= 2)
    # Extreme poverty (特困): alone, unable to work, no child or other supporter; rarer in town.
    if vulnerable_single and rng.random() < (0.07 if urban else 0.11):
        head.work_ability = WorkAbilityLevel.NONE
        return EXTREME
    p = 0.012
    if any(m.disability and m.disability[1] <= 2 for m in members):
        p += 0.10
    elif any(m.disability for m in members):
        p += 0.03
    if any(m.serious_illness for m in members):
        p += 0.10
    if kind == "single_parent":
        p += 0.08
    if not able:
        p += 0.03
    if not urban:
        p *= 1.3
    r = rng.random()
    if r < p:
        return POOR
    return NEAR_POOR if r < p + 0.07 else ORDINARY


def _status(rng: random.Random, m: Member, age: int, tier: str, *, urban: bool) -> str:
    if m.school is not None or age < 16:
        return EmploymentStatus.NOT_IN_LABOUR_FORCE
    if age >= 60:
        pensioned = rng.random() < (0.62 if urban else 0.12) and tier in (ORDINARY, NEAR_POOR)
        if pensioned:
            return EmploymentStatus.RETIRED
        if not urban and m.work_ability == WorkAbilityLevel.PARTIAL and rng.random() < 0.5:
            return EmploymentStatus.SELF_EMPLOYED  # still farming a small plot
        return EmploymentStatus.NOT_IN_LABOUR_FORCE
    if m.work_ability == WorkAbilityLevel.NONE:
        return EmploymentStatus.NOT_IN_LABOUR_FORCE
    S = EmploymentStatus
    options = (S.EMPLOYED, S.FLEXIBLE, S.SELF_EMPLOYED, S.UNEMPLOYED, S.NOT_IN_LABOUR_FORCE)
    if tier in (POOR, EXTREME):
        weights = (5, 35, 20, 30, 10) if urban else (3, 30, 45, 12, 10)
    else:
        weights = (52, 22, 8, 10, 8) if urban else (8, 20, 58, 6, 8)
    return rng.choices(options, weights)[0]


def add_work_and_income(
    rng: random.Random, kind: str, members: list[Member], tier: str, today: dt.date, *, urban: bool
) -> None:
    S, K = EmploymentStatus, IncomeKind
    for m in members:
        age = m.age_on(today)
        m.status = _status(rng, m, age, tier, urban=urban)
        partial = m.work_ability == WorkAbilityLevel.PARTIAL
        if m.status == S.EMPLOYED:
            m.incomes.append((K.WAGE, yuan(rng, 4200 if urban else 3200, 0.45, low=1980), "工资"))
        elif m.status == S.FLEXIBLE:
            m.incomes.append((K.WAGE, yuan(rng, 2300 if urban else 1800, 0.5), "灵活就业/务工"))
        elif m.status == S.SELF_EMPLOYED:
            if urban:
                m.incomes.append((K.BUSINESS, yuan(rng, 3500, 0.6), "个体经营"))
            else:
                note = rng.choice(("种植（玉米、大豆）", "种植（玉米、大豆）", "养殖（牛羊）", "放牧"))
                m.incomes.append((K.BUSINESS, yuan(rng, 900 if partial else 1600, 0.6), note))
        elif m.status == S.UNEMPLOYED and urban and rng.random() < 0.3:
            m.incomes.append((K.TRANSFER, yuan(rng, 1550, 0.05), "失业保险金"))
        elif m.status == S.RETIRED:
            m.incomes.append((K.TRANSFER, yuan(rng, 3300 if urban else 2800, 0.3, low=1500), "企业职工基本养老金"))
        if age >= 60 and m.status != S.RETIRED:
            # 城乡居民基本养老保险: basic pension plus a small personal account (内蒙古 rural ≈ 200–400 yuan).
            low, high = (250, 500) if urban else (200, 400)
            m.incomes.append((K.BASIC_PENSION, rng.randint(low, high) * 100, "城乡居民基本养老保险"))
        if age >= 80:
            m.incomes.append((K.ELDERLY_ALLOWANCE, (100 if age < 90 else 200) * 100, "高龄津贴"))
        if age >= 60 and m.sex == "M" and rng.random() < 0.01:
            m.incomes.append((K.PREFERENTIAL, rng.randint(1500, 3000) * 100, "退役军人定期抚恤补助"))
        if age >= 60 and rng.random() < 0.06:
            m.incomes.append((K.FAMILY_PLANNING, rng.choice((80, 100, 150)) * 100, "计划生育家庭奖励扶助金"))
    head = members[0]
    if not urban and rng.random() < 0.4:
        head.incomes.append((K.PROPERTY, yuan(rng, 300, 0.6, low=50), "土地流转租金"))
    if head.age_on(today) >= 60 and tier != EXTREME and kind in ("elderly_single", "elderly_couple"):
        if rng.random() < 0.6:
            head.incomes.append((K.TRANSFER, yuan(rng, 500, 0.5, low=100), "子女赡养费"))
    _fit_to_tier(rng, members, tier, urban=urban)


def countable_total(members: list[Member]) -> int:
    return sum(fen for m in members for kind, fen, _ in m.incomes if kind in COUNTABLE)


def _fit_to_tier(rng: random.Random, members: list[Member], tier: str, *, urban: bool) -> None:
    """Scale countable income so the household's per-capita income lands inside its tier."""
    std = STANDARD_FEN["urban" if urban else "rural"]
    size = len(members)
    total = countable_total(members)
    if tier == EXTREME:
        target = size * std * rng.choice((0, 0, 10, 15, 25)) // 100
    elif tier == POOR:
        target = size * std * rng.randint(5, 95) // 100
    elif tier == NEAR_POOR:
        target = size * std * rng.randint(103, 150) // 100
    else:
        target = max(total, size * std * rng.randint(120, 200) // 100)
    if target == total:
        return
    if total > 0 and (target < total or tier != ORDINARY):
        for m in members:
            m.incomes = [
                (kind, fen * target // total if kind in COUNTABLE else fen, note) for kind, fen, note in m.incomes
            ]
    elif (gap := target - total) > 0:
        # Too little income for the tier: the gap comes from the main earner, or from relatives' support.
        earners = sorted(
            (m for m in members if any(k in COUNTABLE for k, _, _ in m.incomes)),
            key=lambda m: -sum(f for k, f, _ in m.incomes if k in COUNTABLE),
        )
        if earners and tier == ORDINARY:
            m = earners[0]
            i = next(i for i, (k, _, _) in enumerate(m.incomes) if k in COUNTABLE)
            kind, fen, note = m.incomes[i]
            m.incomes[i] = (kind, fen + gap, note)
        else:
            members[0].incomes.append((IncomeKind.TRANSFER, gap, "亲友资助"))
    for m in members:  # whole yuan, and drop rows scaled to nothing
        m.incomes = [(k, f // 100 * 100, n) for k, f, n in m.incomes if f >= 100]


def add_expenses(rng: random.Random, m: Member) -> None:
    if m.serious_illness:
        m.expenses.append((ExpenseKind.MEDICAL, yuan(rng, 1800, 0.6, low=300)))
    elif m.chronic_illness and rng.random() < 0.6:
        m.expenses.append((ExpenseKind.MEDICAL, yuan(rng, 180, 0.5, low=30)))
    if m.disability and m.disability[1] <= 2 and rng.random() < 0.4:
        m.expenses.append((ExpenseKind.REHABILITATION, yuan(rng, 400, 0.4, low=100)))
    if (m.failed_activities or 0) >= 4 and rng.random() < 0.3:
        m.expenses.append((ExpenseKind.CARE, yuan(rng, 1500, 0.3, low=600)))
    fees = {
        SchoolLevel.HIGH_SCHOOL: 450,
        SchoolLevel.VOCATIONAL: 300,
        SchoolLevel.COLLEGE: 1200,
        SchoolLevel.BACHELOR: 1400,
    }
    if m.school in fees:
        m.expenses.append((ExpenseKind.EDUCATION, yuan(rng, fees[m.school], 0.3, low=100)))


def is_supported_elder(kind: str, members: list[Member], tier: str, today: dt.date) -> bool:
    """Elderly households whose adult children live elsewhere: they have legal supporters outside the home."""
    return tier != EXTREME and kind in ("elderly_single", "elderly_couple") and members[0].age_on(today) >= 60


def household_assets(rng: random.Random, tier: str, *, urban: bool) -> list[tuple[str, int, str, bool]]:
    """(kind, value in fen, description, exempt) of what the household owns, recorded on the head.

    The only home and farm machinery are marked exempt (生产生活必需), as verification rules usually treat them.
    """
    ordinary = tier == ORDINARY
    found: list[tuple[str, int, str, bool]] = []

    def add(kind: str, fen: int, description: str, exempt: bool = False) -> None:
        found.append((kind, fen, description, exempt))

    if rng.random() < 0.88:
        if ordinary:
            add(AssetKind.DEPOSIT, yuan(rng, 60_000, 1.0, low=500, high=3_000_000), "活期及定期存款")
        else:
            add(AssetKind.DEPOSIT, yuan(rng, 2_500, 0.9, low=50, high=20_000), "活期存款")
    if rng.random() < (0.8 if urban else 0.95):
        add(AssetKind.REAL_ESTATE, yuan(rng, 180_000 if urban else 60_000, 0.5), "唯一自住房", exempt=True)
    if ordinary and rng.random() < 0.05:
        add(AssetKind.REAL_ESTATE, yuan(rng, 450_000, 0.4), "第二套住房")
    if ordinary and rng.random() < (0.35 if urban else 0.3):
        add(AssetKind.VEHICLE, yuan(rng, 90_000, 0.5, low=15_000), "小型汽车")
    if not urban and rng.random() < (0.3 if ordinary else 0.08):
        add(AssetKind.VEHICLE, yuan(rng, 25_000 if ordinary else 4_000, 0.5), "农用车/拖拉机", exempt=True)
    if ordinary and rng.random() < 0.04:
        add(AssetKind.BUSINESS, yuan(rng, 100_000, 0.8), "个体工商户")
    if ordinary and rng.random() < 0.08:
        add(AssetKind.SECURITIES, yuan(rng, 50_000, 1.0), "基金、股票")
    if ordinary and rng.random() < 0.1:
        add(AssetKind.INSURANCE, yuan(rng, 30_000, 0.7), "商业保险现金价值")
    return found
