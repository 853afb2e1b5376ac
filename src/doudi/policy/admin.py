from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from doudi.audit.admin_changes import AuditedAdminMixin
from doudi.core.errors import DomainError
from doudi.policy.models import PolicyValue
from doudi.policy.services import policy_value_add, policy_value_confirm


@admin.register(PolicyValue)
class PolicyValueAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """New rows only, written (and audited) by ``policy_value_add``; rows are never edited or deleted."""

    list_display = ("profile", "key", "value", "valid_from", "valid_to", "source", "illustrative", "created_by",
                    "created_at", "confirmed_by", "confirmed_at")
    list_filter = ("profile", "illustrative", ("confirmed_at", admin.EmptyFieldListFilter))
    search_fields = ("key", "source")
    readonly_fields = ("created_by", "created_at", "confirmed_by", "confirmed_at")
    actions = ["confirm"]

    @admin.action(description=_("确认生效（须由录入人以外的管理员确认）"))
    def confirm(self, request, queryset):
        done = 0
        for row in queryset:
            try:
                policy_value_confirm(actor=request.user, row=row)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{row}：{exc.message}", messages.ERROR)
        if done:
            self.message_user(request, _("%(n)s 条政策参数取值已确认生效") % {"n": done}, messages.SUCCESS)

    def has_delete_permission(self, request, obj=None):
        return False  # history is kept; a correction is a new row

    def get_readonly_fields(self, request, obj=None):
        # existing rows are immutable
        if obj is not None:
            return [f.name for f in self.model._meta.fields]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return  # every field of an existing row is read-only: nothing to save
        # Creates go through the service so the row and its audit event are written together.
        policy_value_add(actor=request.user, row=obj)
