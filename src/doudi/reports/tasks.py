"""Background task: build a requested report (django-tasks database backend; ``doudi db_worker`` runs it)."""

from __future__ import annotations

from django_tasks import task


@task()
def build_report(report_id: int) -> dict:
    from doudi.reports.build import report_build

    report = report_build(report_id=report_id)
    return {"status": getattr(report, "status", "claimed_elsewhere")}
