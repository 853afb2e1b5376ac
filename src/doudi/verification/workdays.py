"""Working-day arithmetic for deadlines. Uses the case workflow's calendar (holidays, 调休) when it exists;
otherwise counts Monday to Friday."""

from __future__ import annotations

import datetime as dt


def _fallback_add_working_days(start: dt.date, days: int) -> dt.date:
    day = start
    added = 0
    while added < days:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            added += 1
    return day


def add_working_days(start: dt.date, days: int) -> dt.date:
    for module in ("doudi.cases.calendar", "doudi.cases.workdays", "doudi.cases.deadlines"):
        try:
            helper = getattr(__import__(module, fromlist=["add_working_days"]), "add_working_days", None)
        except ImportError:
            continue
        if helper is not None:
            return helper(start, days)
    return _fallback_add_working_days(start, days)
