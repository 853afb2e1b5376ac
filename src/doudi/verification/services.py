"""Writes for verification: authorisations, verification requests and runs, and resolving discrepancies.

Every write is one transaction with its audit row and checks the household is in the actor's scope for changes.
"No authorisation, no query" (S3 Art 58: queries only at the family's request or entrustment) is enforced both
when a request is made and again, on the run date, before any source is asked.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.accounts.choices import Action
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, snapshot
from doudi.core.errors import DomainError, IllegalTransition, NotFoundOrForbidden
from doudi.core.money import format_yuan
from doudi.core.workdays import add_working_days
from doudi.registry import services as registry_services
from doudi.registry.choices import EvidenceSource
from doudi.registry.models import Asset, Household, Income, Membership, Person, SupportObligation
from doudi.verification.choices import (
    ASSET_KIND_FOR_CATEGORY,
    DEATH_KIND,
    INCOME_CATEGORIES,
    AuthorisationMethod,
    AuthorisationRole,
    DiscrepancyKind,
    DiscrepancyStatus,
    RequestStatus,
    SourceCategory,
)
from doudi.verification.models import Authorisation, Discrepancy, VerificationReport, VerificationRequest
from doudi.verification.selectors import authorisations_complete, required_signers
from doudi.verification.sources import Finding, all_sources

# S1 Art 17: the county starts verification within 3 working days of the township's request.
VERIFICATION_WORKING_DAYS = 3
# Tolerance before an amount counts as "different": 10 % of the declared amount or 100 yuan, whichever is larger.
# Local practice, not a national figure (UNCONFIRMED); counties may tune it.
TOLERANCE_RATIO_PERCENT = 10
TOLERANCE_MIN_FEN = 10_000


AUTH_AUDIT_FIELDS = ["household", "person", "role", "signed_at", "method", "signature_ref", "valid_until"]


class VerificationError(DomainError):
    code = "verification_error"


class AuthorisationMissing(VerificationError):
    code = "authorisation_missing"
    http_status = 409

    def __init__(self, missing: list[Person], *, no_members: bool = False):
        if no_members:
            message = _("该家庭在核对基准日没有登记成员，无法核对")
        else:
            names = "、".join(f"{p.name}（{p.masked_id_number}）" for p in missing)
            message = _("以下人员尚未签署家庭经济状况核对授权，不能查询其经济状况：%(names)s") % {"names": names}
        super().__init__(message)
        self.missing = missing


def _household_for_change(actor, household: Household) -> Household:
    locked = Household.objects.restrict(actor, Action.CHANGE).select_for_update().filter(pk=household.pk).first()
    if locked is None:
        raise NotFoundOrForbidden(_("未找到该家庭，或不在您的辖区内"))
    return locked


def _require_authorisations(household: Household, as_of: dt.date, include_supporters: bool) -> None:
    complete, missing = authorisations_complete(household=household, as_of=as_of, include_supporters=include_supporters)
    if not complete:
        raise AuthorisationMissing(missing, no_members=not missing)


# --- authorisations ----------------------------------------------------------------------------------------------


@transaction.atomic
def authorisation_record(
    *,
    actor,
    household: Household,
    person: Person,
    method: str,
    signed_at: dt.date,
    valid_until: dt.date | None = None,
    scan=None,
    signature_ref: str = "",
) -> Authorisation:
    household = _household_for_change(actor, household)
    registry_services.check_period(signed_at, valid_until)
    if method not in AuthorisationMethod.values:
        raise VerificationError(_("签署方式无效"), code="bad_method", field="method")
    if method == AuthorisationMethod.PAPER_SCAN and not scan:
        raise VerificationError(_("纸质授权书须上传扫描件"), code="scan_required", field="scan")
    if method == AuthorisationMethod.E_SIGNATURE and not signature_ref.strip():
        raise VerificationError(_("电子签名须填写签名流水号"), code="signature_required", field="signature_ref")
    if signed_at > timezone.localdate():
        raise VerificationError(_("签署日期不能晚于今天"), code="future_signature", field="signed_at")
    return _authorisation_create(
        actor=actor, household=household, person=person, method=method, signed_at=signed_at,
        valid_until=valid_until, scan=scan, signature_ref=signature_ref,
    )


def _authorisation_create(
    *, actor, household: Household, person: Person, method: str, signed_at: dt.date, valid_until: dt.date | None,
    scan, signature_ref: str, on_behalf: bool = False,
) -> Authorisation:
    signers = required_signers(household=household, as_of=signed_at, include_supporters=True)
    role = next((s.role for s in signers if s.person.pk == person.pk), None)
    if role is None:
        raise VerificationError(
            _("%(name)s 不是该家庭的成员或成员的法定义务人，不能为该家庭签署授权") % {"name": person.name},
            code="not_a_signer",
            field="person",
        )
    auth = Authorisation.objects.create(
        household=household,
        person=person,
        role=role,
        signed_at=signed_at,
        method=method,
        scan=scan or "",
        signature_ref=signature_ref.strip(),
        valid_until=valid_until,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        obj=auth,
        object_repr=_("%(name)s 的核对授权") % {"name": person.name},
        region_code=household.region_id,
        changes={**snapshot(auth, AUTH_AUDIT_FIELDS), "scan": auth.scan.name if auth.scan else "",
                 **({"on_behalf_of_minor": True} if on_behalf else {})},
    )
    return auth


ADULT_AGE = 18  # Civil Code Art 17, 27: parents are the guardians of a minor child


@transaction.atomic
def authorisation_esign(*, actor, person: Person, confirm_name: str) -> Authorisation:
    """The applicant signs on their own phone (S1 Art 9(3)): for themselves, or as guardian for a member under 18 of
    their own household. Another adult signs for themselves (at the window or from their own login). The signer
    confirms by typing their own full name; the audit row carries the IP and user agent of the request."""
    today = timezone.localdate()
    me = getattr(actor, "person", None)
    membership = (
        Membership.objects.filter(person=me).as_of(today).select_related("household").first() if me else None
    )
    if membership is None:
        raise NotFoundOrForbidden(_("未找到您的家庭登记信息"))
    household = Household.objects.select_for_update().get(pk=membership.household_id)
    if not Membership.objects.filter(household=household, person_id=person.pk).as_of(today).exists():
        raise NotFoundOrForbidden(_("未找到该家庭成员"))
    on_behalf = person.pk != me.pk
    if on_behalf and person.age_on(today) >= ADULT_AGE:
        raise VerificationError(_("%(name)s 已成年，须本人到窗口签署或登录后本人签署") % {"name": person.name},
                                code="not_own_authorisation", field="person")
    if on_behalf and me.age_on(today) < ADULT_AGE:
        raise VerificationError(_("未成年人不能代他人签署授权"), code="not_a_guardian", field="person")
    if "".join(confirm_name.split()) != "".join(me.name.split()):
        raise VerificationError(_("请输入您本人的完整姓名以确认签署"), code="name_mismatch", field="confirm_name")
    if Authorisation.objects.filter(household=household, person_id=person.pk).valid_on(today).exists():
        raise VerificationError(_("%(name)s 已签署授权，无需重复签署") % {"name": person.name}, code="already_signed")
    return _authorisation_create(
        actor=actor, household=household, person=person, method=AuthorisationMethod.E_SIGNATURE, signed_at=today,
        valid_until=None, scan=None, signature_ref=f"ESIGN-{actor.pk}-{timezone.now():%Y%m%d%H%M%S}",
        on_behalf=on_behalf,
    )


@transaction.atomic
def authorisation_revoke(*, actor, authorisation: Authorisation, reason: str = "") -> Authorisation:
    _household_for_change(actor, authorisation.household)
    auth = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
    if auth.revoked_at is None:
        auth.revoked_at = timezone.now()
        auth.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=auth,
            object_repr=_("%(name)s 的核对授权") % {"name": auth.person.name},
            region_code=auth.household.region_id,
            changes={"revoked_at": [None, auth.revoked_at.isoformat()]},
            reason=reason,
        )
    return auth


# --- requests and runs -------------------------------------------------------------------------------------------


@transaction.atomic
def verification_request(
    *,
    actor,
    household: Household,
    include_supporters: bool = False,
    application_id: int | None = None,
    as_of: dt.date | None = None,
) -> VerificationRequest:
    """The township asks for information verification (逢救必核). Refused, with nothing written, unless every
    member (and for 特困 every supporter) has authorised."""
    household = _household_for_change(actor, household)
    today = timezone.localdate()
    as_of = as_of or today
    registry_services.check_date(as_of, _("核对基准日"))
    _require_authorisations(household, as_of, include_supporters)
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


def _beyond_tolerance(declared: int, found: int) -> bool:
    tolerance = max(declared * TOLERANCE_RATIO_PERCENT // 100, TOLERANCE_MIN_FEN)
    return abs(found - declared) > tolerance


def _yuan(fen: int | None) -> str:
    return _("%(amount)s 元") % {"amount": format_yuan(fen)}


def compare(req: VerificationRequest, persons: list[Person], findings: list[Finding]) -> list[Discrepancy]:
    """Declared (the registry's evidence valid on the day) against found. Pure apart from reading evidence.

    Income: per person and income kind, each department's total; the largest counts (tax and social insurance report
    the same wage, so they are not added). Property: per person and asset kind, the total value and quantity.
    A department not reporting something proves nothing, so only what a department *holds* is flagged.
    """
    by_id = {p.id_number: p for p in persons}
    ids = [p.pk for p in persons]
    declared_income: dict[tuple[int, str], int] = defaultdict(int)
    for inc in Income.objects.filter(person_id__in=ids).as_of(req.as_of):
        declared_income[(inc.person_id, inc.kind)] += inc.monthly_fen
    declared_asset: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    for asset in Asset.objects.filter(person_id__in=ids).as_of(req.as_of):
        declared_asset[(asset.person_id, asset.kind)][0] += asset.value_fen
        declared_asset[(asset.person_id, asset.kind)][1] += asset.quantity

    found_income: dict[tuple[int, str], dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    found_asset: dict[tuple[int, str], list[Finding]] = defaultdict(list)
    deaths: dict[int, Finding] = {}
    for fd in findings:
        person = by_id.get(fd.id_number)
        if person is None:
            continue
        if fd.category in INCOME_CATEGORIES and fd.amount_fen:
            found_income[(person.pk, fd.kind)][fd.category].append(fd)
        elif fd.category in ASSET_KIND_FOR_CATEGORY:
            found_asset[(person.pk, ASSET_KIND_FOR_CATEGORY[fd.category])].append(fd)
        elif fd.category == SourceCategory.CIVIL_REGISTRY and fd.kind == DEATH_KIND:
            if person.pk not in deaths or fd.valid_from < deaths[person.pk].valid_from:
                deaths[person.pk] = fd

    persons_by_pk = {p.pk: p for p in persons}
    out: list[Discrepancy] = []

    for (pid, kind), per_category in found_income.items():
        category, rows = max(per_category.items(), key=lambda item: sum(f.amount_fen or 0 for f in item[1]))
        found = sum(f.amount_fen or 0 for f in rows)
        declared = declared_income.get((pid, kind), 0)
        person = persons_by_pk[pid]
        label = Income(kind=kind).get_kind_display()
        source = "；".join(sorted({f.source for f in rows}))
        if declared == 0:
            dkind = DiscrepancyKind.UNDECLARED_INCOME
            text = _("%(name)s：%(src)s显示有%(label)s每月 %(found)s，申报中未列明") % {
                "name": person.name,
                "src": SourceCategory(category).label,
                "label": label,
                "found": _yuan(found),
            }
        elif _beyond_tolerance(declared, found):
            dkind = DiscrepancyKind.INCOME_DIFFERS
            text = _("%(name)s：%(label)s申报每月 %(declared)s，%(src)s显示每月 %(found)s") % {
                "name": person.name,
                "label": label,
                "declared": _yuan(declared),
                "src": SourceCategory(category).label,
                "found": _yuan(found),
            }
        else:
            continue
        out.append(
            Discrepancy(
                person=person,
                kind=dkind,
                category=category,
                evidence_kind=kind,
                declared_fen=declared or None,
                found_fen=found,
                found_from=min(f.valid_from for f in rows),
                detail="；".join(f.detail for f in rows if f.detail)[:200],
                source=source[:100],
                description=text[:300],
            )
        )

    for (pid, kind), rows in found_asset.items():
        person = persons_by_pk[pid]
        found_value = sum(f.value_fen or 0 for f in rows)
        found_qty = sum(f.quantity for f in rows)
        declared_value, declared_qty = declared_asset.get((pid, kind), (0, 0))
        label = Asset(kind=kind).get_kind_display()
        category = rows[0].category
        if declared_qty == 0:
            dkind = DiscrepancyKind.UNDECLARED_ASSET
            text = _("%(name)s：%(src)s查到%(label)s %(qty)d 项（价值 %(value)s），申报中未列明") % {
                "name": person.name,
                "src": SourceCategory(category).label,
                "label": label,
                "qty": found_qty,
                "value": _yuan(found_value),
            }
        elif found_qty > declared_qty or _beyond_tolerance(declared_value, found_value):
            dkind = DiscrepancyKind.ASSET_DIFFERS
            text = _("%(name)s：%(label)s申报 %(dq)d 项、价值 %(dv)s，%(src)s显示 %(fq)d 项、价值 %(fv)s") % {
                "name": person.name,
                "label": label,
                "dq": declared_qty,
                "dv": _yuan(declared_value),
                "src": SourceCategory(category).label,
                "fq": found_qty,
                "fv": _yuan(found_value),
            }
        else:
            continue
        out.append(
            Discrepancy(
                person=person,
                kind=dkind,
                category=category,
                evidence_kind=kind,
                declared_fen=declared_value if declared_qty else None,
                found_fen=found_value,
                found_quantity=max(found_qty, 1),
                found_from=min(f.valid_from for f in rows),
                detail="；".join(f.detail for f in rows if f.detail)[:200],
                source="；".join(sorted({f.source for f in rows}))[:100],
                description=text[:300],
            )
        )

    for pid, fd in deaths.items():
        person = persons_by_pk[pid]
        if person.date_of_death == fd.valid_from:
            continue
        out.append(
            Discrepancy(
                person=person,
                kind=DiscrepancyKind.DEATH,
                category=SourceCategory.CIVIL_REGISTRY,
                found_from=fd.valid_from,
                detail=fd.detail[:200],
                source=fd.source[:100],
                description=(
                    _("%(name)s：%(src)s登记于 %(day)s 死亡，仍登记为家庭成员，请核实并办理成员减少")
                    % {"name": person.name, "src": fd.source, "day": fd.valid_from.isoformat()}
                )[:300],
            )
        )
    return out


@transaction.atomic
def verification_run(*, actor, request: VerificationRequest) -> VerificationReport:
    """Query every source for every member (and supporter) and write the report with its discrepancies."""
    _household_for_change(actor, request.household)
    req = VerificationRequest.objects.select_for_update().select_related("household").get(pk=request.pk)
    if req.status != RequestStatus.REQUESTED:
        raise IllegalTransition(_("该核对申请已出具报告，不能重复核对"))
    # Checked again: an authorisation may have been revoked since the request.
    _require_authorisations(req.household, req.as_of, req.include_supporters)
    persons = _persons_to_check(req)
    findings: list[Finding] = []
    sources = all_sources()
    for source in sources:
        findings.extend(source.query(persons, req.as_of))
    report = VerificationReport.objects.create(
        request=req,
        produced_by=actor,
        sources=[{"category": s.category, "name": s.name} for s in sources],
        findings=[f.as_json() for f in findings],
    )
    discrepancies = compare(req, persons, findings)
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


# --- resolving discrepancies ---------------------------------------------------------------------------------------


def _lock_open(actor, discrepancy: Discrepancy) -> Discrepancy:
    household = discrepancy.report.request.household
    _household_for_change(actor, household)
    d = (
        Discrepancy.objects.select_for_update()
        .select_related("report__request__household", "person")
        .get(pk=discrepancy.pk)
    )
    if d.status != DiscrepancyStatus.OPEN:
        raise IllegalTransition(_("该差异已处理（%(status)s）") % {"status": d.get_status_display()})
    return d


def _end_conflicting(actor, rows, start: dt.date, reason: str) -> list[int]:
    ended = []
    for row in rows:
        # Facts are ended the day before the verified one starts; one that began that day ends that day.
        registry_services.evidence_end(
            actor=actor, evidence=row, valid_to=max(row.valid_from, start - dt.timedelta(days=1)), reason=reason
        )
        ended.append(row.pk)
    return ended


@transaction.atomic
def discrepancy_accept(*, actor, discrepancy: Discrepancy, note: str = "") -> Discrepancy:
    """Take the department's finding into the registry as verified evidence from the report's base date, ending the
    conflicting declared facts; for a death, end the person's membership at the date of death."""
    d = _lock_open(actor, discrepancy)
    req = d.report.request
    start = req.as_of
    reason = _("核对报告 %(id)s：%(text)s") % {"id": d.report_id, "text": d.description}
    ended: list[int] = []
    evidence = None
    if d.kind in (DiscrepancyKind.UNDECLARED_INCOME, DiscrepancyKind.INCOME_DIFFERS):
        conflicting = Income.objects.filter(person=d.person, kind=d.evidence_kind).as_of(start)
        ended = _end_conflicting(actor, conflicting, start, reason)
        evidence = registry_services.evidence_add(
            actor=actor,
            person=d.person,
            evidence_type="income",
            valid_from=start,
            kind=d.evidence_kind,
            monthly_fen=d.found_fen or 0,
            source=EvidenceSource.VERIFIED,
            note=_("核对平台：%(src)s") % {"src": d.source[:80]},
        )
    elif d.kind in (DiscrepancyKind.UNDECLARED_ASSET, DiscrepancyKind.ASSET_DIFFERS):
        conflicting = Asset.objects.filter(person=d.person, kind=d.evidence_kind).as_of(start)
        ended = _end_conflicting(actor, conflicting, start, reason)
        evidence = registry_services.evidence_add(
            actor=actor,
            person=d.person,
            evidence_type="asset",
            valid_from=start,
            kind=d.evidence_kind,
            value_fen=d.found_fen or 0,
            quantity=d.found_quantity,
            description=d.detail[:200],
            source=EvidenceSource.VERIFIED,
            note=_("核对平台：%(src)s") % {"src": d.source[:80]},
        )
    elif d.kind == DiscrepancyKind.DEATH:
        for m in Membership.objects.filter(person=d.person, household=req.household).as_of(d.found_from):
            registry_services.member_end(
                actor=actor, membership=m, valid_to=max(m.valid_from, d.found_from), reason=reason
            )
            ended.append(m.pk)
        for ob in SupportObligation.objects.filter(supporter=d.person).as_of(d.found_from):
            registry_services.evidence_end(actor=actor, evidence=ob, valid_to=d.found_from, reason=reason)
    d.status = DiscrepancyStatus.ACCEPTED
    d.resolved_by = actor
    d.resolved_at = timezone.now()
    d.resolution_note = note[:300]
    d.evidence_id = evidence.pk if evidence is not None else None
    d.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note", "evidence_id"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=d,
        object_repr=d.description[:200],
        region_code=req.household.region_id,
        changes={
            "status": [DiscrepancyStatus.OPEN, DiscrepancyStatus.ACCEPTED],
            "ended": ended,
            "evidence_id": d.evidence_id,
        },
        reason=note,
    )
    return d


@transaction.atomic
def discrepancy_dismiss(*, actor, discrepancy: Discrepancy, note: str) -> Discrepancy:
    """The caseworker checked and does not take the finding (e.g. the income has already ended); a reason is due."""
    if not note.strip():
        raise VerificationError(_("不予采信须填写核实情况说明"), code="note_required", field="note")
    d = _lock_open(actor, discrepancy)
    d.status = DiscrepancyStatus.DISMISSED
    d.resolved_by = actor
    d.resolved_at = timezone.now()
    d.resolution_note = note.strip()[:300]
    d.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=d,
        object_repr=d.description[:200],
        region_code=d.report.request.household.region_id,
        changes={"status": [DiscrepancyStatus.OPEN, DiscrepancyStatus.DISMISSED]},
        reason=note,
    )
    return d


__all__ = [
    "AuthorisationMissing",
    "AuthorisationRole",
    "VerificationError",
    "authorisation_record",
    "authorisation_revoke",
    "discrepancy_accept",
    "discrepancy_dismiss",
    "verification_request",
    "verification_run",
]
