<<<<<<< HEAD
"""Django admin for users, their region grants and the region tree grants point at (the region admin lives here,
not in ``regions``, because who may administer it is decided by the grants; ``regions`` sits below ``accounts``).
=======
"""Django admin for users and their region grants — installation superusers only (``accounts.admin_site``).
>>>>>>> gate

Regional administrators use 系统管理 (``accounts.views.manage``), scoped to their own area. An installation superuser
without a grant may manage regions, users and grants (to bootstrap a new installation) but sees no personal data:
registry and audit admins are scoped by ``restrict(user, "administer")`` like every other read. Every change here is
audited with before/after by the admin site; a password set here is audited as such (never its value).
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from doudi.accounts.admin_site import is_installation_admin
from doudi.accounts.choices import Action
from doudi.accounts.models import RegionGrant, User
from doudi.accounts.scoping import region_prefixes
<<<<<<< HEAD
from doudi.regions.models import Region
=======
from doudi.audit.admin_changes import AuditedAdminMixin
from doudi.audit.models import AuditAction
>>>>>>> gate


def is_administrator(user) -> bool:
    """An installation superuser who also holds an administrator grant: may correct data in their area."""
    return is_installation_admin(user) and bool(region_prefixes(user, Action.ADMINISTER))


class AdministratorOnly:
    """Admin permissions from the grant and the installation-admin status, not from Django's permission table."""

    allow_superuser = False

    def _allowed(self, request) -> bool:
        user = request.user
        return is_administrator(user) or (self.allow_superuser and is_installation_admin(user))

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
    list_display = ["code", "name", "level", "area_type", "parent", "profile"]
    list_filter = ["level", "area_type"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    ordering = ["code"]

    def has_delete_permission(self, request, obj=None):
        # Households, grants and audit rows point at regions; a region is retired, never deleted.
        return False
