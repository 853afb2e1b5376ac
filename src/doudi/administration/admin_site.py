"""The Django admin is for installation superusers only (安装管理员).

Regional administrators manage users, grants and region attributes on the in-app screens (系统管理), scoped to their
own area. The admin site lets in an active superuser — and, when ``DOUDI_INSTALLATION_ADMINS`` lists user names, only
those — and answers 403 to anyone else who is signed in (a regional administrator included). Every ModelAdmin it
registers is audited with before/after (``audit.admin_changes``).
"""

from __future__ import annotations

from functools import update_wrapper

from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from doudi.accounts.admin_access import is_installation_admin
from doudi.audit.admin_changes import AuditedAdminMixin


class DoudiAdminSite(AdminSite):
    site_header = "兜底 · 社会救助综合管理信息平台（安装管理）"
    site_title = "兜底安装管理"
    index_title = "安装管理"

    def has_permission(self, request) -> bool:
        return is_installation_admin(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, view)

    def login(self, request, extra_context=None):
        # One login for the whole installation (lockout and second factor included), never the admin's own form.
        if request.user.is_authenticated and not self.has_permission(request):
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("login"))

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            namespace = {"__module__": admin_class.__module__}
            admin_class = type(admin_class.__name__, (AuditedAdminMixin, admin_class), namespace)
        super().register(model_or_iterable, admin_class, **options)
