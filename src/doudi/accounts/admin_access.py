"""Who may use the Django admin at all (the installation superusers), and the permission mixin every ModelAdmin of
the project uses: permissions come from the grant and the installation-admin status, not Django's permission table.

Kept in ``accounts`` (below ``audit`` and ``registry``) so every app's ``admin.py`` can use it; the admin site and
the registrations of users, grants and regions live in ``doudi.administration``.
"""

from __future__ import annotations

from django.conf import settings

from doudi.accounts.choices import Action
from doudi.accounts.scoping import region_prefixes


def is_installation_admin(user) -> bool:
    if not (user is not None and user.is_authenticated and user.is_active and user.is_superuser):
        return False
    allowed = getattr(settings, "INSTALLATION_ADMINS", [])
    return not allowed or user.get_username() in allowed


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
