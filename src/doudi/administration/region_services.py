"""Changes of region attributes (系统管理 → 区划属性), by the level that owns the region
(``administration.authority``).

- The name is corrected at once and audited.
- The office particulars (办理机关名称, 监督投诉电话, 文号机关代字), printed on public notices and decision notices,
  are kept by the region's own administrators or those above (``authority.keeps_office``), at once and audited with
  before/after.
- 城乡 type and policy profile decide which standards apply (a village's type is the default for households
  registered there; its profile picks the local policy), so they change by maker-checker: one administrator of the
  owning level proposes the change with the date it takes effect and the document behind it, a second one confirms
  it, and it applies on that date (at once when the date has come, else by ``doudi regions apply-due``, run daily).
  No back-dating: a change never rewrites decisions already taken.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.administration import authority
from doudi.administration.choices import ChangeStatus
from doudi.administration.errors import AccountError, AccountErrorCode
from doudi.administration.models import RegionChange
from doudi.audit.models import AuditAction
from doudi.audit.services import audit_record, diff, snapshot
from doudi.regions.choices import AreaType
from doudi.regions.models import Region

if TYPE_CHECKING:
    from doudi.accounts.models import User

MAX_LEAD = dt.timedelta(days=366)
OPEN = (ChangeStatus.PENDING, ChangeStatus.SCHEDULED)


def _check_owner(actor: User, region: Region) -> None:
    if not authority.owns_region(actor, region):
        raise AccountError(_("该区划的属性由上级管理员维护，不在您的权限内"), code=AccountErrorCode.NOT_YOURS)


def profile_choices() -> list[tuple[str, str]]:
    from doudi.policy.loader import available_profiles, load_profile

    named = [(name, f"{load_profile(name).title}（{name}）") for name in available_profiles()]
    return [("", _("沿用上级区划")), *named]


@transaction.atomic
def region_rename(*, actor: User, region: Region, name: str) -> Region:
    region = Region.objects.select_for_update().get(pk=region.pk)
    _check_owner(actor, region)
    before = snapshot(region, fields=["name"])
    region.name = name
    changes = diff(before, after=snapshot(region, fields=["name"]))
    if changes:
        region.save(update_fields=["name"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=region, region_code=region.code, changes=changes,
                     reason=_("更正区划名称"))
    return region


OFFICE_FIELDS = ("office_name", "office_phone", "doc_prefix")


@transaction.atomic
def region_office_update(*, actor: User, region: Region, office_name: str, office_phone: str,
                         doc_prefix: str) -> Region:
    """Correct the office particulars of ``region`` (own region or below). Refused when nothing changes."""
    region = Region.objects.select_for_update().get(pk=region.pk)
    if not authority.keeps_office(actor, region):
        raise AccountError(_("该区划的办理机关信息不在您的管理范围内"), code=AccountErrorCode.NOT_YOURS)
    values = {"office_name": office_name.strip(), "office_phone": office_phone.strip(),
              "doc_prefix": doc_prefix.strip()}
    before = snapshot(region, fields=list(OFFICE_FIELDS))
    for key, value in values.items():
        setattr(region, key, value)
    changes = diff(before, after=snapshot(region, fields=list(OFFICE_FIELDS)))
    if not changes:
        raise AccountError(_("办理机关信息未改变"), code=AccountErrorCode.NOTHING_CHANGED)
    region.save(update_fields=list(changes))
    audit_record(actor=actor, action=AuditAction.UPDATE, obj=region, region_code=region.code, changes=changes,
                 reason=_("更正办理机关信息"))
    return region


@transaction.atomic
def region_change_request(
    *, actor: User, region: Region, area_type: str, profile: str, effective_on: dt.date, reason: str
) -> RegionChange:
    region = Region.objects.select_for_update().get(pk=region.pk)
    _check_owner(actor, region)
    today = timezone.localdate()
    if not (today <= effective_on <= today + MAX_LEAD):
        raise AccountError(_("生效日期须在今天至一年之内（不能追溯）"), code=AccountErrorCode.BAD_DATE,
                           field="effective_on")
    if area_type not in AreaType.values or profile not in dict(profile_choices()):
        raise AccountError(_("城乡类别或政策配置无效"), code=AccountErrorCode.NOTHING_CHANGED)
    if area_type == region.area_type and profile == region.profile:
        raise AccountError(_("城乡类别和政策配置均未改变"), code=AccountErrorCode.NOTHING_CHANGED)
    if RegionChange.objects.filter(region=region, status__in=OPEN).exists():
        raise AccountError(_("该区划已有一项待复核或待生效的变更，请先处理"), code=AccountErrorCode.NOT_PENDING)
    change = RegionChange.objects.create(
        region=region, area_type_before=region.area_type, area_type=area_type, profile_before=region.profile,
        profile=profile, effective_on=effective_on, reason=reason, requested_by=actor,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=change, region_code=region.code, changes=snapshot(change),
                 reason=reason)
    return change


def _locked_open(actor: User, change: RegionChange) -> RegionChange:
    change = RegionChange.objects.select_for_update().select_related("region").get(pk=change.pk)
    _check_owner(actor, change.region)
    if change.status != ChangeStatus.PENDING:
        raise AccountError(_("该变更已处理"), code=AccountErrorCode.NOT_PENDING)
    return change


@transaction.atomic
def region_change_confirm(*, actor: User, change: RegionChange, note: str = "") -> RegionChange:
    """The second person: confirms, and the change applies now if its date has come."""
    change = _locked_open(actor, change)
    if change.requested_by_id == actor.pk:
        raise AccountError(_("区划属性变更须由另一名管理员复核，提出人不能复核自己的变更"),
                           code=AccountErrorCode.SAME_PERSON)
    change.status, change.decided_by, change.decided_at = ChangeStatus.SCHEDULED, actor, timezone.now()
    change.decision_note = note
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=change, region_code=change.region_id,
                 changes={"status": [ChangeStatus.PENDING, ChangeStatus.SCHEDULED]}, reason=note or _("复核通过"))
    if change.effective_on <= timezone.localdate():
        _apply(change)
    return change


@transaction.atomic
def region_change_reject(*, actor: User, change: RegionChange, note: str) -> RegionChange:
    """Returned by a second administrator, or withdrawn by the one who proposed it."""
    change = _locked_open(actor, change)
    change.status, change.decided_by, change.decided_at = ChangeStatus.REJECTED, actor, timezone.now()
    change.decision_note = note
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=change, region_code=change.region_id,
                 changes={"status": [ChangeStatus.PENDING, ChangeStatus.REJECTED]}, reason=note)
    return change


def _apply(change: RegionChange) -> None:
    """Inside the caller's transaction, with ``change`` locked and confirmed."""
    region = Region.objects.select_for_update().get(pk=change.region_id)
    before = snapshot(region, fields=["area_type", "profile"])
    region.area_type, region.profile = change.area_type, change.profile
    region.save(update_fields=["area_type", "profile"])
    RegionChange.objects.filter(pk=change.pk).update(status=ChangeStatus.APPLIED, applied_at=timezone.now())
    audit_record(
        actor=change.decided_by, action=AuditAction.UPDATE, obj=region, region_code=region.code,
        changes=diff(before, after=snapshot(region, fields=["area_type", "profile"])),
        reason=_("区划属性变更生效（%(date)s起；提出：%(maker)s，复核：%(checker)s）：%(why)s") % {
            "date": change.effective_on.isoformat(), "maker": change.requested_by, "checker": change.decided_by,
            "why": change.reason},
    )


def region_changes_apply_due(*, as_of: dt.date | None = None) -> int:
    """Apply every confirmed change whose date has come. Safe to run twice or at once: each change is claimed under
    a row lock and applied in its own transaction, so none applies twice."""
    as_of = as_of or timezone.localdate()
    due = list(RegionChange.objects.filter(status=ChangeStatus.SCHEDULED, effective_on__lte=as_of)
               .order_by("effective_on", "pk").values_list("pk", flat=True))
    applied = 0
    for pk in due:
        with transaction.atomic():
            change = (RegionChange.objects.select_for_update(of=("self",)).select_related("requested_by", "decided_by")
                      .filter(pk=pk, status=ChangeStatus.SCHEDULED).first())
            if change is not None:
                _apply(change)
                applied += 1
    return applied
