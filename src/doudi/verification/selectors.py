"""Reads for verification. Scoped selectors take the acting user; ``authorisations_complete*`` read by household
and are meant for services and the case workflow, which have already checked scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import NotFoundOrForbidden
from doudi.registry.models import Household, Membership, Person, SupportObligation
from doudi.verification.choices import AuthorisationRole
from doudi.verification.models import (
    Authorisation,
    DepartmentBatch,
    Discrepancy,
    VerificationReport,
    VerificationRequest,
)

if TYPE_CHECKING:
    from doudi.accounts.models import User

TEKUN = "tekun"  # 特困: supporters must authorise too (S2 Art 10 ¶3)


@dataclass(frozen=True)
class RequiredSigner:
    person: Person
    role: str  # AuthorisationRole


def required_signers(*, household: Household, as_of: dt.date, include_supporters: bool) -> list[RequiredSigner]:
    """Everyone who must authorise: each member on ``as_of`` and, for 特困, each statutory supporter of a member."""
    members = [m.person for m in Membership.objects.filter(household=household).as_of(as_of).select_related("person")]
    signers = [RequiredSigner(p, AuthorisationRole.MEMBER) for p in members]
    if include_supporters:
        member_ids = {p.pk for p in members}
        seen = set(member_ids)
        obligations = (
            SupportObligation.objects.filter(person_id__in=member_ids).as_of(as_of).select_related("supporter")
        )
        for ob in obligations.order_by("id"):
            if ob.supporter_id not in seen:
                seen.add(ob.supporter_id)
                signers.append(RequiredSigner(ob.supporter, AuthorisationRole.SUPPORTER))
    return signers


def authorisations_complete(
    *, household: Household, as_of: dt.date, include_supporters: bool
) -> tuple[bool, list[Person]]:
    """(True, []) when every required person has a valid, unrevoked authorisation for this household on ``as_of``;
    otherwise (False, the persons still missing)."""
    signers = required_signers(household=household, as_of=as_of, include_supporters=include_supporters)
    signed = set(Authorisation.objects.filter(household=household).valid_on(as_of).values_list("person_id", flat=True))
    missing = [s.person for s in signers if s.person.pk not in signed]
    return (not missing and bool(signers), missing)


def _program_codes(program) -> set[str]:
    if program is None:
        return set()
    if isinstance(program, str):
        return {program}
    code = getattr(program, "code", None)
    if isinstance(code, str):
        return {code}
    if isinstance(program, Iterable):
        return set().union(*(_program_codes(p) for p in program)) if program else set()
    return {str(program)}


def case_includes_supporters(case) -> bool:
    programs = getattr(case, "programs", None)
    if programs is not None and hasattr(programs, "all"):
        programs = list(programs.all())
    return TEKUN in (_program_codes(getattr(case, "program", None)) | _program_codes(programs))


def authorisations_complete_for_case(case, *, as_of: dt.date | None = None) -> tuple[bool, list[Person]]:
    """For the case workflow: any object with ``.household`` and ``.program`` (a code, an object with ``.code``, or
    several); 特困 ("tekun") includes the statutory supporters."""
    return authorisations_complete(
        household=case.household,
        as_of=as_of or timezone.localdate(),
        include_supporters=case_includes_supporters(case),
    )


def authorisation_status(*, household: Household, as_of: dt.date, include_supporters: bool) -> list[dict]:
    """One line per required signer with their current authorisation (for the household page)."""
    signers = required_signers(household=household, as_of=as_of, include_supporters=include_supporters)
    current = {
        a.person_id: a
        for a in Authorisation.objects.filter(household=household).valid_on(as_of).order_by("signed_at", "id")
    }
    return [{"person": s.person, "role": s.role, "authorisation": current.get(s.person.pk)} for s in signers]


def authorisation_list(*, actor: User, household_id: int | None = None) -> QuerySet:
    qs = Authorisation.objects.restrict(actor, Action.VIEW).select_related("person", "household")
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    return qs


def request_list(*, actor: User, household_id: int | None = None) -> QuerySet:
    qs = VerificationRequest.objects.restrict(actor, Action.VIEW).select_related("household")
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    return qs


def request_get(*, actor: User, pk: int, action: str = Action.VIEW) -> VerificationRequest:
    found = VerificationRequest.objects.restrict(actor, action).select_related("household").filter(pk=pk).first()
    if found is None:
        raise NotFoundOrForbidden(_("未找到该核对申请，或不在您的辖区内"))
    return found


def report_view(*, actor: User, pk: int) -> VerificationReport:
    """A verification report holds economic data: needs ``view_full`` and every view is audited (S3 Art 61)."""
    report = (
        VerificationReport.objects.restrict(actor, Action.VIEW_FULL)
        .select_related("request__household")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise NotFoundOrForbidden(_("未找到该核对报告，或不在您的辖区内"))
    audit_record(actor=actor, action=AuditAction.VIEW, obj=report, region_code=report.request.household.region_id)
    return report


def discrepancy_get(*, actor: User, pk: int, action: str = Action.CHANGE) -> Discrepancy:
    found = (
        Discrepancy.objects.restrict(actor, action)
        .select_related("report__request__household", "person")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NotFoundOrForbidden(_("未找到该核对差异，或不在您的辖区内"))
    return found


def batch_list(*, actor: User) -> QuerySet:
    return DepartmentBatch.objects.restrict(actor, Action.IMPORT).select_related("loaded_by")
