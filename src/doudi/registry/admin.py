"""Django admin for the registry, for installation superusers who also hold an administrator grant, correcting data.
Every row is scoped by that grant, and every save or delete writes an audit event in the same transaction (the admin
wraps each change in ``transaction.atomic``). Caseworkers use the registry screens, not this."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from doudi.accounts.admin_access import AdministratorOnly
from doudi.accounts.choices import Action
from doudi.audit.admin_changes import AuditedAdminMixin
from doudi.registry.models import EVIDENCE_MODELS, Household, Membership, Person


class AuditedAdmin(AuditedAdminMixin, AdministratorOnly, admin.ModelAdmin):
    """Scoped by the administrator's grant; saves, deletes and inline rows audited by ``AuditedAdminMixin``."""

    audit_reason = "系统管理后台"

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, Action.ADMINISTER)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["person"]
    fields = ["person", "relationship", "lives_together", "valid_from", "valid_to"]


@admin.register(Household)
class HouseholdAdmin(AuditedAdmin):
    list_display = ["number", "region", "address", "area_type"]
    list_filter = ["area_type"]
    search_fields = ["number", "address"]
    raw_id_fields = ["region", "hukou_region"]
    inlines = [MembershipInline]


@admin.register(Person)
class PersonAdmin(AuditedAdmin):
    list_display = ["name", "masked_id", "sex", "birth_date", "date_of_death"]
    list_filter = ["sex"]
    # Exact ID match only (a prefix search would let someone enumerate IDs by area code).
    search_fields = ["name", "=id_number"]

    @admin.display(description=_("身份证号码"))
    def masked_id(self, obj):
        return obj.masked_id_number


def _evidence_admin(model):
    field_names = [f.name for f in model._meta.fields if f.name not in ("id", "person", "created_at", "recorded_by")]

    class EvidenceAdmin(AuditedAdmin):
        list_display = ["person", *field_names[:5]]
        list_filter = ["source"]
        search_fields = ["person__name"]
        raw_id_fields = ["person", *(["supporter"] if model._meta.model_name == "supportobligation" else [])]
        readonly_fields = ["recorded_by", "created_at"]

        def save_model(self, request, obj, form, change):
            if not change:
                obj.recorded_by = request.user
            super().save_model(request, obj, form, change)

    EvidenceAdmin.__name__ = f"{model.__name__}Admin"
    return EvidenceAdmin


for _model in EVIDENCE_MODELS:
    admin.site.register(_model, _evidence_admin(_model))
