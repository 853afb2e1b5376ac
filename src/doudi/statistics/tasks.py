"""Background task (django-tasks; ``doudi db_worker`` runs it): refresh the aggregates. Safe to enqueue twice: a
second run resumes or finds the refresh finished. Schedule it (cron, systemd timer) e.g. hourly and at night."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_statistics(day: str | None = None) -> dict:
    import datetime as dt

    from doudi.statistics.services import statistics_refresh

    r = statistics_refresh(day=dt.date.fromisoformat(day) if day else None)
    return {"refresh": r.pk, "day": r.day.isoformat(), "regions": r.done_count}
