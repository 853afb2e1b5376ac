"""Django admin registrations of users, their region grants and the region tree — installation superusers only
(``administration.admin_site``).

Regional administrators use 系统管理 (``administration.views.manage``), scoped to their own area. An installation
superuser without a grant may manage regions, users and grants (to bootstrap a new installation) but sees no personal
data: registry and audit admins are scoped by ``restrict(user, "administer")`` like every other read. Every change
here is audited with before/after by the admin site; a password set here is audited as such (never its value).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from doudi.accounts.admin_access import AdministratorOnly
from doudi.accounts.models import RegionGrant, User
from doudi.administration.models import RegionChange
from doudi.audit.admin_changes import AuditedAdminMixin
from doudi.audit.models import AuditAction
from doudi.regions.models import Region


class RegionGrantInline(admin.TabularInline):
    model = RegionGrant
    extra = 1
    autocomplete_fields = ["region"]


@admin.register(User)
class UserAdmin(AuditedAdminMixin, AdministratorOnly, BaseUserAdmin):
    allow_superuser = True
    inlines = [RegionGrantInline]
    list_display = ["username", "display_name", "region", "department", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "department", "grants__role"]
    search_fields = ["username", "display_name", "phone"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("display_name", "phone", "department", "region", "email", "person")}),
        (_("状态"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "display_name", "region", "password1", "password2")}),
    )
    raw_id_fields = ["person"]
    autocomplete_fields = ["region"]
    readonly_fields = ["last_login", "date_joined"]

    def user_change_password(self, request, id, form_url=""):
        """The admin's 修改密码 page: audited like any change (the event says the password changed, never to what)."""
        with transaction.atomic():
            before = User.objects.filter(pk=id).values_list("password", flat=True).first()
            response = super().user_change_password(request, id, form_url)
            user = User.objects.filter(pk=id).first()
            if user is not None and before is not None and user.password != before:
                self._audit(request, AuditAction.UPDATE, user, {"password": ["***", "***（已重置）"]})
        return response


@admin.register(RegionGrant)
class RegionGrantAdmin(AuditedAdminMixin, AdministratorOnly, admin.ModelAdmin):
    allow_superuser = True
    list_display = ["user", "role", "region"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__display_name", "region__name", "region__code"]
    autocomplete_fields = ["user", "region"]


@admin.register(Region)
class RegionAdmin(AdministratorOnly, admin.ModelAdmin):
    allow_superuser = True
    list_display = ["code", "name", "level", "area_type", "parent", "profile", "office_name", "office_phone",
                    "doc_prefix"]
    list_filter = ["level", "area_type"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    ordering = ["code"]

    def has_delete_permission(self, request, obj=None):
        # Households, grants and audit rows point at regions; a region is retired, never deleted.
        return False

    def get_readonly_fields(self, request, obj=None):
        # 城乡 and profile are set when a region is created; after that they change only by maker-checker on
        # 系统管理 → 区划 (administration.region_services), never by one person here.
        return ["code", "level", "area_type", "profile"] if obj is not None else []


@admin.register(RegionChange)
class RegionChangeAdmin(AdministratorOnly, admin.ModelAdmin):
    """History of 城乡 / profile changes. Read-only here: they are proposed and confirmed on 系统管理 → 区划, by two
    administrators of the owning level."""

    allow_superuser = True
    list_display = ["region", "area_type", "profile", "effective_on", "status", "requested_by", "decided_by"]
    list_filter = ["status"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
