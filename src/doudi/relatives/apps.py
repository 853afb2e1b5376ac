from django.apps import AppConfig


class RelativesConfig(AppConfig):
    name = "doudi.relatives"
    verbose_name = "近亲属备案"
