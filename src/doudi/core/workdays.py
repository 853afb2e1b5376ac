"""Working-day arithmetic (工作日) over Monday–Friday plus the ``WorkingCalendarDay`` exceptions (holidays, 调休).

National time limits are in working days (S1 Art 15, 20–22; S2 Art 13, 16); public-notice periods are calendar days.
"""

from __future__ import annotations

import datetime as dt

from doudi.core.models import WorkingCalendarDay


def _exceptions(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    return dict(WorkingCalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_working"))


def is_working_day(day: dt.date, exceptions: dict[dt.date, bool] | None = None) -> bool:
    if exceptions is None:
        exceptions = _exceptions(day, day)
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5


def add_working_days(start: dt.date, n: int) -> dt.date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted, as for "within 3 working days")."""
    # Long holidays (Spring Festival, National Day) are at most ~9 days; three times n plus a margin covers them.
    horizon = start + dt.timedelta(days=n * 3 + 21)
    exceptions = _exceptions(start, horizon)
    day, left = start, n
    while left > 0:
        day += dt.timedelta(days=1)
        if day > horizon:
            horizon = day + dt.timedelta(days=60)
            exceptions.update(_exceptions(day, horizon))
        if is_working_day(day, exceptions):
            left -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]; 0 when end ≤ start."""
    if end <= start:
        return 0
    exceptions = _exceptions(start, end)
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day, exceptions)
    return count


class WorkdayCounter:
    """``working_days_between`` for many pairs of dates in [start, end]: the calendar's exceptions are read once and
    a running count per day is kept, so each pair costs two lookups (statistics count thousands of steps)."""

    def __init__(self, start: dt.date, end: dt.date):
        exceptions = _exceptions(start, end)
        self.start, self.end, self.cumulative, count, day = start, end, [0], 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += is_working_day(day, exceptions)
            self.cumulative.append(count)

    def between(self, a: dt.date, b: dt.date) -> int:
        """Working days in (a, b]; 0 when b ≤ a. Dates outside the counter's range are clamped to it."""
        if b <= a:
            return 0
        a, b = max(a, self.start), min(b, self.end)
        return max(self.cumulative[(b - self.start).days] - self.cumulative[(a - self.start).days], 0)
