"""The case's 核对 step tied to the verification app: moving a case to 核对中 files the verification request
(逢救必核, S1 Art 17), the case page shows the report and its discrepancies, and the caseworker completes the step
from the report once every discrepancy is accepted or dismissed with a reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.cases.errors import CaseError, Code
from doudi.cases.models import Case
from doudi.core.errors import IllegalTransition
from doudi.verification import services as verification
from doudi.verification.choices import DiscrepancyStatus, RequestStatus
from doudi.verification.models import Discrepancy, VerificationRequest
from doudi.verification.selectors import case_includes_supporters

if TYPE_CHECKING:
    from doudi.accounts.models import User


def start_verification(actor: User, *, case: Case, today: dt.date) -> VerificationRequest:
    """File the case's verification request, or reuse the open one of the same application (one application may
    open a 低保 and a 特困 case; the household is verified once, with supporters when either case needs them)."""
    supporters = any(case_includes_supporters(c) for c in case.application.cases.all())
    # An open request of this application, or one filed from the household's 核对 page for no application yet.
    open_request = (VerificationRequest.objects.select_for_update()
                    .filter(household_id=case.household_id, status=RequestStatus.REQUESTED,
                            include_supporters__gte=supporters)
                    .filter(Q(application_id=case.application_id) | Q(application_id__isnull=True))
                    .order_by("-application_id", "-id").first())
    if open_request is not None:
        if open_request.application_id is None:
            open_request.application_id = case.application_id
            open_request.save(update_fields=["application_id"])
        return open_request
    return verification.verification_request(actor=actor, household=case.household, include_supporters=supporters,
                                             application_id=case.application_id, as_of=today)


@dataclass
class CaseVerification:
    request: VerificationRequest | None = None
    report: object | None = None
    discrepancies: list[Discrepancy] = field(default_factory=list)

    @property
    def open_count(self) -> int:
        return sum(1 for d in self.discrepancies if d.status == DiscrepancyStatus.OPEN)


def case_verification(*, actor: User, case: Case) -> CaseVerification:
    """The case's latest verification request, its report and discrepancies, as the actor may see them."""
    req = (VerificationRequest.objects.restrict(actor, Action.VIEW_FULL).filter(application_id=case.application_id)
           .select_related("report").order_by("-requested_at", "-id").first())
    if req is None:
        return CaseVerification()
    report = getattr(req, "report", None) if req.status == RequestStatus.COMPLETED else None
    found = list(report.discrepancies.select_related("person").order_by("id")) if report is not None else []
    return CaseVerification(request=req, report=report, discrepancies=found)


def verification_summary(found: CaseVerification) -> str:
    accepted = sum(1 for d in found.discrepancies if d.status == DiscrepancyStatus.ACCEPTED)
    dismissed = sum(1 for d in found.discrepancies if d.status == DiscrepancyStatus.DISMISSED)
    if not found.discrepancies:
        return _("核对报告：未发现与申报不符的情况")
    return _("核对报告：差异 %(n)s 处，采信 %(a)s 处，不予采信 %(d)s 处") % {
        "n": len(found.discrepancies), "a": accepted, "d": dismissed}


@transaction.atomic
def verification_from_report(*, actor: User, case: Case | int) -> Case:
    """Complete the case's 核对 from its report: refused while the report is missing or a discrepancy is open."""
    from doudi.cases.services.records import verification_record

    case_obj = case if isinstance(case, Case) else Case.objects.restrict(actor, Action.VIEW).filter(pk=case).first()
    if case_obj is None:
        raise IllegalTransition(_("未找到该案件，或不在您的辖区内"))
    found = case_verification(actor=actor, case=case_obj)
    if found.report is None:
        raise CaseError(_("核对报告尚未出具"), code=Code.VERIFICATION_REPORT_MISSING)
    if found.open_count:
        raise CaseError(_("核对报告尚有 %(n)s 处差异未核实（采信或不予采信）") % {"n": found.open_count},
                        code=Code.VERIFICATION_OPEN_DISCREPANCIES)
    return verification_record(actor=actor, case=case_obj, completed_on=timezone.localdate(found.report.produced_at),
                               summary=verification_summary(found))

