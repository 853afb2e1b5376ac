from django.contrib import admin

from doudi.accounts.admin import AdministratorOnly
from doudi.regions.models import Region, RegionChange


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

    def get_readonly_fields(self, request, obj=None):
        # 城乡 and profile are set when a region is created; after that they change only by maker-checker on
        # 系统管理 → 区划 (regions.services), never by one person here.
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
