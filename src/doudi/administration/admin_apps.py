"""Django's admin app with doudi's admin site (installation superusers only, every change audited).

Kept apart from ``admin_site`` because an AppConfig module is imported before models can be.
"""

from django.contrib.admin.apps import AdminConfig


class DoudiAdminConfig(AdminConfig):
    default_site = "doudi.administration.admin_site.DoudiAdminSite"
