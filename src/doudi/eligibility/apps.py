from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "doudi.eligibility"
    verbose_name = "资格认定"
