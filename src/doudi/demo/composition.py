"""Who lives together: household types, ages, sexes and relationships of a synthetic household.

Shares are rough fits to the 7th census for Inner Mongolia (average household ≈ 2.5 people; rural villages older,
with more elderly singles and couples whose children work in town, and more three-generation homes).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from doudi.registry.choices import Relationship

# (type, urban weight, rural weight)
HOUSEHOLD_TYPES: tuple[tuple[str, int, int], ...] = (
    ("elderly_single", 11, 14),
    ("elderly_couple", 11, 15),
    ("single_adult", 13, 9),
    ("couple", 13, 11),
    ("nuclear", 29, 22),
    ("single_parent", 5, 4),
    ("three_generation", 10, 17),
    ("couple_adult_child", 8, 8),
)


@dataclass
class Member:
    relationship: str
    sex: str
    birth_date: dt.date
    surname: str | None = None
    # Filled in by population.py
    name: str = ""
    id_number: str = ""
    ethnicity: str = "汉族"
    phone: str = ""
    joined: dt.date | None = None
    lives_together: bool = True
    disability: tuple[str, int] | None = None
    serious_illness: str | None = None
    chronic_illness: str | None = None
    failed_activities: int | None = None
    school: str | None = None
    work_ability: str | None = None
    status: str | None = None
    incomes: list[tuple[str, int, str]] = field(default_factory=list)
    expenses: list[tuple[str, int]] = field(default_factory=list)

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.birth_date.year
        return years - 1 if (day.month, day.day) < (self.birth_date.month, self.birth_date.day) else years


def birth_for_age(rng: random.Random, age: int, today: dt.date) -> dt.date:
    """A birth date giving exactly ``age`` full years on ``today``."""
    latest = (
        today.replace(year=today.year - age)
        if not (today.month == 2 and today.day == 29)
        else dt.date(today.year - age, 2, 28)
    )
    return latest - dt.timedelta(days=rng.randrange(0, 365))


def _other(sex: str) -> str:
    return "F" if sex == "M" else "M"


def compose(rng: random.Random, *, urban: bool, today: dt.date) -> tuple[str, list[Member]]:
    kinds = [k for k, _, _ in HOUSEHOLD_TYPES]
    weights = [u if urban else r for _, u, r in HOUSEHOLD_TYPES]
    kind = rng.choices(kinds, weights)[0]
    spec: list[tuple[str, str, int]] = []  # (relationship, sex, age)

    def children(head_age: int, n: int, max_age: int = 17) -> None:
        top = min(max_age, head_age - 21)
        for _ in range(n):
            if top >= 0:
                spec.append((Relationship.CHILD, rng.choice("MF"), rng.randint(0, top)))

    if kind == "elderly_single":
        spec.append((Relationship.HEAD, "F" if rng.random() < 0.6 else "M", min(98, 60 + int(rng.expovariate(1 / 11)))))
    elif kind == "elderly_couple":
        age = min(95, 60 + int(rng.expovariate(1 / 9)))
        spec += [(Relationship.HEAD, "M", age), (Relationship.SPOUSE, "F", max(55, age - rng.randint(-2, 6)))]
    elif kind == "single_adult":
        spec.append((Relationship.HEAD, "M" if rng.random() < 0.6 else "F", rng.randint(20, 59)))
    elif kind == "couple":
        age = rng.choice((rng.randint(23, 34), rng.randint(45, 59)))  # newly married, or children moved out
        spec += [(Relationship.HEAD, "M", age), (Relationship.SPOUSE, "F", max(20, age - rng.randint(-2, 5)))]
    elif kind == "nuclear":
        age = rng.randint(27, 52)
        spec += [(Relationship.HEAD, "M", age), (Relationship.SPOUSE, "F", max(21, age - rng.randint(-2, 5)))]
        n = rng.choices((1, 2, 3), (6, 3, 1) if urban else (4, 4, 2))[0]
        children(age, n, max_age=17 if rng.random() < 0.8 else 24)
    elif kind == "single_parent":
        age = rng.randint(26, 52)
        spec.append((Relationship.HEAD, "F" if rng.random() < 0.7 else "M", age))
        children(age, rng.choices((1, 2), (7, 3))[0])
    elif kind == "three_generation":
        if rng.random() < 0.5:  # working-age couple with their children and a widowed or living parent
            age = rng.randint(30, 52)
            spec += [(Relationship.HEAD, "M", age), (Relationship.SPOUSE, "F", max(22, age - rng.randint(-2, 5)))]
            children(age, rng.choices((1, 2), (6, 4))[0])
            parent_age = min(96, age + rng.randint(22, 34))
            spec.append((Relationship.PARENT, "F" if rng.random() < 0.65 else "M", parent_age))
        else:  # older couple as head, with an adult son, his wife and grandchildren
            age = rng.randint(55, 76)
            spec += [(Relationship.HEAD, "M", age), (Relationship.SPOUSE, "F", max(50, age - rng.randint(-2, 5)))]
            son_age = max(22, age - rng.randint(22, 32))
            spec += [
                (Relationship.CHILD, "M", son_age),
                (Relationship.CHILD_IN_LAW, "F", max(21, son_age - rng.randint(-2, 4))),
            ]
            for _ in range(rng.choices((1, 2), (6, 4))[0]):
                spec.append((Relationship.GRANDCHILD, rng.choice("MF"), rng.randint(0, max(0, min(17, son_age - 21)))))
    else:  # couple_adult_child
        age = rng.randint(46, 66)
        spec += [(Relationship.HEAD, "M", age), (Relationship.SPOUSE, "F", max(40, age - rng.randint(-2, 5)))]
        spec.append((Relationship.CHILD, rng.choice("MF"), rng.randint(18, max(18, min(35, age - 21)))))

    members = [Member(relationship=rel, sex=sex, birth_date=birth_for_age(rng, age, today)) for rel, sex, age in spec]
    return kind, members[:6]
