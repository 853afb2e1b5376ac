"""Merge admin overrides into file profiles; create override rows (writes go through here)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from doudi.audit.services import AuditAction, audit_record, snapshot
from doudi.core.errors import DomainError, IllegalTransition, PermissionDenied
from doudi.policy.errors import Code
from doudi.policy.loader import Entry, Profile, ProfileError, check_consistency, load_profile, make_entry
from doudi.policy.models import PolicyValue
from doudi.policy.selectors import policy_value_list


def override_entries(*, profile: str) -> list[Entry]:
    return [make_entry(row.key, row.as_raw(), file=f"db:{row.pk}", rank=i + 1)
            for i, row in enumerate(policy_value_list(profile=profile))]


def profile_apply_overrides(*, profile: Profile) -> Profile:
    """File values plus DB rows; for a date covered by both, the newest DB row wins. Checked as the files are
    (``loader.check_consistency``): a row that puts a value outside its range is named in the error."""
    merged = profile.with_overrides(override_entries(profile=profile.name))
    check_consistency(merged)
    return merged


def profile_load_effective(*, name_or_path: str) -> Profile:
    return profile_apply_overrides(profile=load_profile(name_or_path))


def policy_value_create(*, actor: Any, profile: str, key: str, value: Any, valid_from: dt.date,
                        valid_to: dt.date | None = None, source: str = "", illustrative: bool = False,
                        note: str = "", area: str = "") -> PolicyValue:
    row = PolicyValue(profile=profile, key=key, value=value, valid_from=valid_from, valid_to=valid_to,
                      source=source, illustrative=illustrative, note=note, area=area)
    return policy_value_add(actor=actor, row=row)


def policy_value_add(*, actor: Any, row: PolicyValue) -> PolicyValue:
    """Validate and insert a new override row with its audit event (also the Django admin's save path). A row
    entered by a user waits for a second person (``policy_value_confirm``); ``actor`` None is the operator on the
    server (CLI, seed data), whose row is in force at once."""
    row.created_by = actor if getattr(actor, "pk", None) else None
    row.confirmed_by, row.confirmed_at = None, (None if row.created_by else timezone.now())
    row.full_clean()
    with transaction.atomic():
        row.save()
        # Policy values are platform-wide (no region): they change every later decision, so who entered which
        # amount from which document must be on the audit log, not only in created_by.
        audit_record(actor=actor, action=AuditAction.CREATE, obj=row, changes=snapshot(row))
    return row


def policy_value_confirm(*, actor: Any, row: PolicyValue | int) -> PolicyValue:
    """The second person: a policy value changes every later decision and payment, so the one who entered it
    cannot put it in force. Checked again against the profile as merged at confirmation."""
    with transaction.atomic():
        if not getattr(actor, "is_superuser", False):
            raise PermissionDenied(_("政策参数取值只能由全系统管理员确认"), code=Code.MAKER_CHECKER)
        found = PolicyValue.objects.select_for_update().get(pk=getattr(row, "pk", row))
        if found.confirmed:
            raise IllegalTransition(_("该政策参数取值已确认生效"), code=Code.ALREADY_CONFIRMED)
        if found.created_by_id is not None and found.created_by_id == getattr(actor, "pk", None):
            raise PermissionDenied(_("录入人不能确认自己录入的政策参数取值，须由另一名管理员确认"),
                                   code=Code.MAKER_CHECKER)
        found.confirmed_by, found.confirmed_at = actor, timezone.now()
        found.save(update_fields=["confirmed_by", "confirmed_at"])
        try:  # a range broken by the merge with the values confirmed meanwhile refuses (and rolls back)
            profile_load_effective(name_or_path=found.profile)
        except ProfileError as exc:
            raise DomainError(_("该取值与已生效的政策参数不一致，不能确认：%(e)s") % {"e": exc},
                              code=Code.INCONSISTENT) from None
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=found,
                     changes={"confirmed": [False, True], "key": found.key},
                     reason=_("政策参数取值经第二人确认生效"))
    return found


def values_as_of(*, profile: str, prefix: str, on: dt.date, area: str | None = None) -> dict[str, Any]:
    """Values in force of every key starting with ``prefix`` (file values merged with admin overrides), for apps that
    read keys the engine does not (hotline and inspection limits)."""
    merged = profile_load_effective(name_or_path=profile)
    out = {}
    for key in merged.entries:
        if key.startswith(prefix):
            entry = merged.resolve(key, on, area)
            if entry is not None:
                out[key] = entry.value
    return out
