"""Build one requested report: the body of the ``build_report`` task (``reports.tasks``), apart from the request
(``reports.services``) so that the task and the service that enqueues it do not import each other.

``report_build`` claims the row with a conditional update, so two workers never compute the same report at once;
a failed build keeps its error and can be requested again.
"""

from __future__ import annotations

from django.utils import timezone

from doudi.reports.choices import ReportStatus
from doudi.reports.compute import compute
from doudi.reports.models import StatReport


def report_build(*, report_id: int) -> StatReport | None:
    """Compute and store one report (the task's body). Returns None when another worker has it."""
    claimed = StatReport.objects.filter(pk=report_id, status__in=(ReportStatus.PENDING, ReportStatus.FAILED)) \
        .update(status=ReportStatus.RUNNING)
    if not claimed:
        return None
    report = StatReport.objects.select_related("region").get(pk=report_id)
    try:
        rows, totals, payroll_total = compute(report.region, report.kind, report.period)
    except Exception as exc:
        StatReport.objects.filter(pk=report_id).update(status=ReportStatus.FAILED, error=str(exc)[:300])
        raise
    StatReport.objects.filter(pk=report_id).update(
        status=ReportStatus.DONE, rows=rows, totals=totals, payroll_total_fen=payroll_total,
        finished_at=timezone.now())
    report.refresh_from_db()
    return report
