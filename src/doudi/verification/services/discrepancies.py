"""Resolving discrepancies: the department's finding taken into the registry as verified evidence, or dismissed with
the caseworker's reason."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record
from doudi.core.errors import IllegalTransition
from doudi.registry import services as registry_services
from doudi.registry.choices import EvidenceSource
from doudi.registry.models import Asset, Household, Income, Membership, SupportObligation
from doudi.verification.choices import (
    DiscrepancyKind,
    DiscrepancyStatus,
)
from doudi.verification.errors import Code, VerificationError
from doudi.verification.models import Discrepancy
from doudi.verification.services.checks import household_for_change

if TYPE_CHECKING:
    from doudi.accounts.models import User


def _lock_open(actor: User, discrepancy: Discrepancy) -> Discrepancy:
    household = discrepancy.report.request.household
    household_for_change(actor, household=household)
    d = (
        Discrepancy.objects.select_for_update()
        .select_related("report__request__household", "person")
        .get(pk=discrepancy.pk)
    )
    if d.status != DiscrepancyStatus.OPEN:
        raise IllegalTransition(_("该差异已处理（%(status)s）") % {"status": d.get_status_display()})
    return d


def _end_conflicting(actor: User, rows, start: dt.date, reason: str) -> list[int]:
    ended = []
    for row in rows:
        # Facts are ended the day before the verified one starts; one that began that day ends that day.
        registry_services.evidence_end(
            actor=actor, evidence=row, valid_to=max(row.valid_from, start - dt.timedelta(days=1)), reason=reason
        )
        ended.append(row.pk)
    return ended


def _take_income(actor: User, d: Discrepancy, start: dt.date, reason: str):
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
    return ended, evidence


def _take_asset(actor: User, d: Discrepancy, start: dt.date, reason: str):
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
    return ended, evidence


def _take_death(actor: User, d: Discrepancy, household: Household, reason: str) -> list[int]:
    """The person leaves the household at the date of death, and stops being anyone's supporter."""
    ended = []
    for m in Membership.objects.filter(person=d.person, household=household).as_of(d.found_from):
        registry_services.member_end(actor=actor, membership=m, valid_to=max(m.valid_from, d.found_from), reason=reason)
        ended.append(m.pk)
    for ob in SupportObligation.objects.filter(supporter=d.person).as_of(d.found_from):
        registry_services.evidence_end(actor=actor, evidence=ob, valid_to=d.found_from, reason=reason)
    return ended


@transaction.atomic
def discrepancy_accept(*, actor: User, discrepancy: Discrepancy, note: str = "") -> Discrepancy:
    """Take the department's finding into the registry as verified evidence from the report's base date, ending the
    conflicting declared facts; for a death, end the person's membership at the date of death."""
    d = _lock_open(actor, discrepancy)
    req = d.report.request
    reason = _("核对报告 %(id)s：%(text)s") % {"id": d.report_id, "text": d.description}
    ended: list[int] = []
    evidence = None
    if d.kind in (DiscrepancyKind.UNDECLARED_INCOME, DiscrepancyKind.INCOME_DIFFERS):
        ended, evidence = _take_income(actor, d, req.as_of, reason)
    elif d.kind in (DiscrepancyKind.UNDECLARED_ASSET, DiscrepancyKind.ASSET_DIFFERS):
        ended, evidence = _take_asset(actor, d, req.as_of, reason)
    elif d.kind == DiscrepancyKind.DEATH:
        ended = _take_death(actor, d, req.household, reason)
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
def discrepancy_dismiss(*, actor: User, discrepancy: Discrepancy, note: str) -> Discrepancy:
    """The caseworker checked and does not take the finding (e.g. the income has already ended); a reason is due."""
    if not note.strip():
        raise VerificationError(_("不予采信须填写核实情况说明"), code=Code.NOTE_REQUIRED, field="note")
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
