"""Verification requests (逢救必核) and runs: every source asked for every member (and supporter), the report and its
discrepancies written in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, snapshot
from doudi.core.errors import IllegalTransition
from doudi.core.workdays import add_working_days
from doudi.registry import services as registry_services
from doudi.registry.models import Household, Person
from doudi.verification.choices import (
    RequestStatus,
)
from doudi.verification.models import Discrepancy, VerificationReport, VerificationRequest
from doudi.verification.selectors import required_signers
from doudi.verification.services.checks import household_for_change, require_authorisations
from doudi.verification.services.compare import compare
from doudi.verification.sources import Finding, all_sources

if TYPE_CHECKING:
    from doudi.accounts.models import User

# S1 Art 17: the county starts verification within 3 working days of the township's request.
VERIFICATION_WORKING_DAYS = 3


@transaction.atomic
def verification_request(
    *,
    actor: User,
    household: Household,
    include_supporters: bool = False,
    application_id: int | None = None,
    as_of: dt.date | None = None,
) -> VerificationRequest:
    """The township asks for information verification (逢救必核). Refused, with nothing written, unless every
    member (and for 特困 every supporter) has authorised."""
    household = household_for_change(actor, household=household)
    today = timezone.localdate()
    as_of = as_of or today
    registry_services.check_date(as_of, label=_("核对基准日"))
    require_authorisations(household, as_of=as_of, include_supporters=include_supporters)
    req = VerificationRequest.objects.create(
        household=household,
        application_id=application_id,
        include_supporters=include_supporters,
        as_of=as_of,
        requested_by=actor,
        due=add_working_days(today, VERIFICATION_WORKING_DAYS),
    )
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=req, region_code=household.region_id, changes=snapshot(req)
    )
    return req


def _persons_to_check(req: VerificationRequest) -> list[Person]:
    return [
        s.person
        for s in required_signers(household=req.household, as_of=req.as_of, include_supporters=req.include_supporters)
    ]


@transaction.atomic
def verification_run(*, actor: User, request: VerificationRequest) -> VerificationReport:
    """Query every source for every member (and supporter) and write the report with its discrepancies."""
    household_for_change(actor, household=request.household)
    req = VerificationRequest.objects.select_for_update().select_related("household").get(pk=request.pk)
    if req.status != RequestStatus.REQUESTED:
        raise IllegalTransition(_("该核对申请已出具报告，不能重复核对"))
    # Checked again: an authorisation may have been revoked since the request.
    require_authorisations(req.household, as_of=req.as_of, include_supporters=req.include_supporters)
    persons = _persons_to_check(req)
    findings: list[Finding] = []
    sources = all_sources()
    for source in sources:
        findings.extend(source.query(persons, req.as_of, region_code=req.household.region_id))
    report = VerificationReport.objects.create(
        request=req,
        produced_by=actor,
        sources=[{"category": s.category, "name": s.name} for s in sources],
        findings=[f.as_json() for f in findings],
    )
    discrepancies = compare(req, persons=persons, findings=findings)
    for d in discrepancies:
        d.report = report
    Discrepancy.objects.bulk_create(discrepancies)
    req.status = RequestStatus.COMPLETED
    req.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=report,
        region_code=req.household.region_id,
        changes={"persons": len(persons), "findings": len(findings), "discrepancies": len(discrepancies)},
    )
    return report
