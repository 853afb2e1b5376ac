"""Date helpers of the synthetic population (deterministic for the generator's random source)."""

from __future__ import annotations

import datetime as dt
import random


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def between(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
