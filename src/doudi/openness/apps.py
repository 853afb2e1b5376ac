from django.apps import AppConfig


class OpennessConfig(AppConfig):
    name = "doudi.openness"
    label = "openness"
    verbose_name = "信息公开"
