"""Writing audit events. Call inside the same ``transaction.atomic`` as the change it records."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models

from doudi.audit.context import EMPTY, current
from doudi.audit.models import AuditAction, AuditEvent
from doudi.core.ids import mask_account, mask_ids_in_text

if TYPE_CHECKING:
    from doudi.accounts.models import User

# Fields whose values never enter the audit log in clear text (as a model's fields, and as keys at any depth of
# ``changes``). IDs anywhere else in a text are masked by ``mask_ids_in_text``.
MASKED_FIELDS = {"id_number", "bank_account", "password"}
# Keys that end like a masked field are masked too, whatever model or caller writes them: a care agreement's
# ``carer_bank_account``, an entitlement's ``payee_bank_account``, a ``relative_id_number``, ``person__id_number``.
_MASKED_SUFFIXES = tuple(f"_{name}" for name in (*MASKED_FIELDS, "account_number"))
_ACCOUNT_SUFFIXES = ("bank_account", "account_number")
# What may stay of a value already masked by its caller ("************1234", "***（已重置）"): never a run of digits
# longer than the last four.
_DIGIT_RUN = re.compile(r"\d{5,}")


def is_masked_field(key: Any) -> bool:
    """Is ``key`` (a field name, a key of ``changes``) one whose value is never logged in clear?"""
    return isinstance(key, str) and (key in MASKED_FIELDS or key.endswith(_MASKED_SUFFIXES))



def _plain(value: Any, *, hidden: bool = False) -> Any:
    """A JSON-ready copy of ``value`` with resident IDs masked at any depth: in texts (and dict keys), and every
    value under a masked field's key replaced by ``***``."""
    if isinstance(value, dict):
        return {_plain_key(k): _plain(v, hidden=hidden or is_masked_field(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v, hidden=hidden) for v in value]
    if hidden:  # a value already masked ("***（已重置）", "****1234") says what happened and stays
        kept = isinstance(value, str) and value.startswith("***") and not _DIGIT_RUN.search(value)
        return value if value in (None, "") or kept else "***"
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str):
        return mask_ids_in_text(value)
    return value


def _plain_key(key: Any) -> Any:
    return mask_ids_in_text(key) if isinstance(key, str) else _plain(key)


def snapshot(instance: models.Model, *, fields: list[str] | None = None) -> dict[str, Any]:
    data = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        value = getattr(instance, field.attname)
        data[field.name] = _plain(value, hidden=is_masked_field(field.name))
    return data


def diff(before: dict[str, Any], *, after: dict[str, Any]) -> dict[str, list[Any]]:
    return {key: [before.get(key), after.get(key)] for key in after if before.get(key) != after.get(key)}


def raw_snapshot(instance: models.Model, *, fields: list[str] | None = None) -> dict[str, Any]:
    """The field values as they are, for deciding *whether* something changed; never written to the log as is
    (``masked_diff`` makes the loggable version)."""
    return {f.name: getattr(instance, f.attname) for f in instance._meta.concrete_fields
            if fields is None or f.name in fields}


def _masked(key: str, value: Any) -> Any:
    if not is_masked_field(key) or not value:
        return _plain(value)
    return mask_account(value) if key.endswith(_ACCOUNT_SUFFIXES) else "***"


def masked_diff(before: dict[str, Any], *, after: dict[str, Any]) -> dict[str, list[Any]]:
    """Before/after of the fields whose raw values differ, masked for the log. Comparing the masked snapshots
    instead missed a corrected bank account number ("***" both times), which was then never saved."""
    return {key: [_masked(key, before.get(key)), _masked(key, after.get(key))]
            for key in after if before.get(key) != after.get(key)}


def audit_record(
    *,
    actor: User,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    object_repr: str | None = None,
    region_code: str = "",
    changes: dict | None = None,
    reason: str = "",
) -> AuditEvent:
    ctx = current.get() or EMPTY
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk if object_id is None else object_id
        object_repr = object_repr if object_repr is not None else str(obj)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=(str(actor) if actor is not None else "system")[:150],
        action=action,
        object_type=object_type or "",
        object_id="" if object_id is None else str(object_id),
        object_repr=mask_ids_in_text(object_repr or "")[:200],
        region_code=region_code or "",
        changes=_plain(changes or {}),
        ip=ctx.ip,
        user_agent=ctx.user_agent,
        reason=mask_ids_in_text(reason)[:500],
    )


__all__ = ["AuditAction", "audit_record", "diff", "is_masked_field", "snapshot"]


def actor_region_code(actor: User) -> str:
    """The widest region the actor holds a grant in: where an event with no single region of its own (an export of
    a list, a login) is filed, so that the auditors of that area see it."""
    grants = getattr(actor, "grants", None)
    if grants is None or not getattr(actor, "pk", None):
        return ""
    codes = sorted((g.region.prefix, g.region_id) for g in grants.select_related("region"))
    return min(codes, key=lambda item: len(item[0]))[1] if codes else ""
