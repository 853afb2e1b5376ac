"""Report writes: request a report (stored, then computed by the ``build_report`` task through ``reports.build``).

Statutory reports are filed by counties and above (a county reports its townships, a city its counties), so every
payroll a report counts lies inside its area and the report reconciles to the payrolls' own totals to the fen.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.accounts.scoping import allows
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import DomainError, NotFoundOrForbidden
from doudi.regions.choices import Level
from doudi.regions.models import Region
from doudi.reports.choices import ReportKind, ReportStatus
from doudi.reports.compute import months_of
from doudi.reports.errors import Code
from doudi.reports.models import StatReport

if TYPE_CHECKING:
    from doudi.accounts.models import User

REPORTING_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)


class ReportError(DomainError):
    code = "report_error"


@transaction.atomic
def report_request(*, actor: User, region: Region, kind: str, period: dt.date) -> StatReport:
    if region.level not in REPORTING_LEVELS or not (allows(actor, Action.EXPORT, region.code)
                                                    and allows(actor, Action.CHANGE, region.code)):
        raise NotFoundOrForbidden(_("只能为本人辖区内的县级及以上单位编制统计报表"))
    if kind not in ReportKind.values:
        raise ReportError(_("报表类型无效"), code=Code.BAD_KIND, field="kind")
    first = months_of(kind, period)[0]
    if first > timezone.localdate():
        raise ReportError(_("报告期不能晚于本月"), code=Code.FUTURE_PERIOD, field="period")
    report, _created = StatReport.objects.update_or_create(
        region=region, kind=kind, period=first,
        defaults={"status": ReportStatus.PENDING, "requested_by": actor, "error": "", "finished_at": None})
    audit_record(actor=actor, action=AuditAction.CREATE, obj=report, region_code=region.code,
                 changes={"kind": kind, "period": first})
    from doudi.reports.tasks import build_report

    transaction.on_commit(lambda: build_report.enqueue(report_id=report.pk))
    return report
