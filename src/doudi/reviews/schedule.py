"""Review schedule rules ([000] 三(二)4; S1 Art 31; S5 §1(3)). Pure functions, no ORM: a policy officer can read them
and the tests feed them plain values.

- 特困人员: once a year (``review.months.tekun``).
- 低保, circumstances change little: once a year (``review.months.stable``).
- 低保, income not fixed (灵活就业/自主经营) or a member able to work: every six months (``review.months.unstable``).
- 孤儿、事实无人抚养儿童基本生活费 and the two disability subsidies (national-rules §11; issue 12.4): per person, every
  ``review.months.special`` months (the national profile's value is illustrative: no seed sets a cycle).
- A member died: check the household within 3 months of the date of death (S5 §1(3)).
"""

from __future__ import annotations

import calendar
import datetime as dt

from doudi.benefits.choices import SPECIAL_PROGRAMS
from doudi.reviews.choices import ReviewCategory

# Used only when the profile has no value (the national profile has all four: 民发〔2021〕57号 Art 31 for 低保,
# 中办发〔2020〕18号 for 特困, and an illustrative yearly review of the special groups).
DEFAULT_MONTHS = {ReviewCategory.TEKUN: 12, ReviewCategory.STABLE: 12, ReviewCategory.UNSTABLE: 6,
                  ReviewCategory.SPECIAL: 12}
# Used only when the profile has no ``procedure.death_check_months`` (national.yaml: 3, S5 §1(3)).
DEATH_CHECK_MONTHS = 3
# Tasks appear this many days before they fall due, so the township can plan visits.
LEAD_DAYS = 30


def add_months(day: dt.date, n: int) -> dt.date:
    """``day`` plus ``n`` calendar months, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    y, m = divmod(day.month - 1 + n, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def review_category(program: str, *, irregular_income: bool, able_member: bool) -> str:
    if program == "tekun":
        return ReviewCategory.TEKUN
    if program in SPECIAL_PROGRAMS:
        return ReviewCategory.SPECIAL
    if irregular_income or able_member:
        return ReviewCategory.UNSTABLE
    return ReviewCategory.STABLE


def cycle_months(category: str, params) -> int:
    """Months between periodic reviews from the policy profile (``review.months.<category>``)."""
    value = params.get(f"review.months.{category}") if params is not None else None
    return int(value) if value else DEFAULT_MONTHS[ReviewCategory(category)]


def periodic_due(anchor: dt.date, months: int) -> dt.date:
    """The next periodic review falls ``months`` after the anchor (the last completed review, else the start)."""
    return add_months(anchor, months)


def death_due(date_of_death: dt.date, months: int | None = None) -> dt.date:
    """The check is due ``months`` (the profile's ``procedure.death_check_months``) after the death."""
    return add_months(date_of_death, months or DEATH_CHECK_MONTHS)


def is_due(due_on: dt.date, as_of: dt.date, lead_days: int = LEAD_DAYS) -> bool:
    return due_on <= as_of + dt.timedelta(days=lead_days)
