from django.contrib import admin

from doudi.accounts.admin_access import is_administrator
from doudi.accounts.choices import Action
from doudi.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, even for administrators."""

    list_display = ["at", "actor_name", "action", "object_type", "object_repr", "region_code", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_repr", "object_id", "region_code"]
    date_hierarchy = "at"

    def get_queryset(self, request):
        return AuditEvent.objects.restrict(request.user, Action.VIEW_FULL)

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
