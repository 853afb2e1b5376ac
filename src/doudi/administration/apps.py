from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    name = "doudi.administration"
    verbose_name = "系统管理"
