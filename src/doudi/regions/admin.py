from django.contrib import admin

from doudi.accounts.admin import AdministratorOnly
from doudi.regions.models import Region


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
