"""Every change made in the Django admin is an audit event with before/after, like a change made on the screens.

Django's own ``LogEntry`` keeps only a sentence and no values, and lives outside the scoped audit log. The admin site
(``administration.admin_site``) mixes ``AuditedAdminMixin`` into every ModelAdmin it registers, third-party ones
included, so no admin screen can change a row without an event. The admin wraps each save in ``transaction.atomic``,
so the change and its event commit together.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext as _

from doudi.audit.models import AuditAction
from doudi.audit.services import actor_region_code, audit_record, diff, is_masked_field, snapshot

if TYPE_CHECKING:
    from doudi.accounts.models import User


def region_code_of(obj: models.Model, actor: User) -> str:
    """The region an admin change is filed under, so that the auditors of that area see it: the object's own region
    (via ``scope_path``, ``region_id`` or a region's code), else the acting superuser's widest grant."""
    path = getattr(type(obj), "scope_path", None)
    if path:
        value = obj
        for part in path.split("__"):
            value = getattr(value, part, None)
            if value is None:
                break
        if isinstance(value, str):
            return value
    if obj._meta.label_lower == "regions.region":
        return obj.pk or ""
    region_id = getattr(obj, "region_id", None)
    if isinstance(region_id, str):
        return region_id
    return actor_region_code(actor)


def _secrets_changed(before: models.Model | None, after: models.Model) -> dict[str, list[str]]:
    """Masked fields (password hash, ID number, account) show as *** in snapshots; say that they changed."""
    if before is None:
        return {}
    changed = {}
    for field in after._meta.concrete_fields:
        if is_masked_field(field.name) and getattr(before, field.attname) != getattr(after, field.attname):
            changed[field.name] = ["***", _("***（已修改）")]
    return changed


class AuditedAdminMixin:
    audit_reason = "系统管理后台（安装管理员）"

    def _audit(self, request, action: str, obj, changes: dict) -> None:
        audit_record(
            actor=request.user,
            action=action,
            obj=obj,
            region_code=region_code_of(obj, request.user),
            changes=changes,
            reason=self.audit_reason,
        )

    def save_model(self, request, obj, form, change):
        old = type(obj)._base_manager.filter(pk=obj.pk).first() if change and obj.pk is not None else None
        before = snapshot(old) if old is not None else {}
        super().save_model(request, obj, form, change)
        if old is None:
            self._audit(request, AuditAction.CREATE, obj, snapshot(obj))
        else:
            changes = {**diff(before, after=snapshot(obj)), **_secrets_changed(old, obj)}
            self._audit(request, AuditAction.UPDATE, obj, changes)

    def delete_model(self, request, obj):
        self._audit(request, AuditAction.DELETE, obj, snapshot(obj))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self._audit(request, AuditAction.DELETE, obj, snapshot(obj))
        super().delete_queryset(request, queryset)

    def save_formset(self, request, form, formset, change):
        """Inline rows (grants of a user, members of a household) are audited one by one."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            self._audit(request, AuditAction.DELETE, obj, snapshot(obj))
            obj.delete()
        for obj in instances:
            old = type(obj)._base_manager.filter(pk=obj.pk).first() if obj.pk is not None else None
            before = snapshot(old) if old is not None else {}
            obj.save()
            if old is None:
                self._audit(request, AuditAction.CREATE, obj, snapshot(obj))
            else:
                self._audit(request, AuditAction.UPDATE, obj, diff(before, after=snapshot(obj)))
        formset.save_m2m()
