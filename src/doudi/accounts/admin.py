"""Django admin for users, their region grants and the region tree grants point at (the region admin lives here,
not in ``regions``, because who may administer it is decided by the grants; ``regions`` sits below ``accounts``).

Who may use the admin at all: staff users who hold an administrator grant. A superuser without a grant may manage
regions, users and grants (to bootstrap a new installation) but sees no personal data: registry and audit admins
are scoped by ``restrict(user, "administer")`` like every other read.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from doudi.accounts.choices import Action
from doudi.accounts.models import RegionGrant, User
from doudi.accounts.scoping import region_prefixes
from doudi.regions.models import Region


def is_administrator(user) -> bool:
    return bool(user.is_active and user.is_staff and region_prefixes(user, Action.ADMINISTER))


class AdministratorOnly:
    """Admin permissions from the administrator grant, not from Django's per-model permission table."""

    allow_superuser = False

    def _allowed(self, request) -> bool:
        user = request.user
        return is_administrator(user) or (self.allow_superuser and user.is_active and user.is_superuser)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, *args):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


class RegionGrantInline(admin.TabularInline):
    model = RegionGrant
    extra = 1
    autocomplete_fields = ["region"]


@admin.register(User)
class UserAdmin(AdministratorOnly, BaseUserAdmin):
    allow_superuser = True
    inlines = [RegionGrantInline]
    list_display = ["username", "display_name", "department", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "department", "grants__role"]
    search_fields = ["username", "display_name", "phone"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("display_name", "phone", "department", "email", "person")}),
        (_("状态"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("时间"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "display_name", "password1", "password2")}),)
    raw_id_fields = ["person"]
    readonly_fields = ["last_login", "date_joined"]


@admin.register(RegionGrant)
class RegionGrantAdmin(AdministratorOnly, admin.ModelAdmin):
    allow_superuser = True
    list_display = ["user", "role", "region"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__display_name", "region__name", "region__code"]
    autocomplete_fields = ["user", "region"]


@admin.register(Region)
class RegionAdmin(AdministratorOnly, admin.ModelAdmin):
    allow_superuser = True
    list_display = ["code", "name", "level", "area_type", "parent", "profile"]
    list_filter = ["level", "area_type"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    ordering = ["code"]

    def has_delete_permission(self, request, obj=None):
        # Households, grants and audit rows point at regions; a region is retired, never deleted.
        return False
