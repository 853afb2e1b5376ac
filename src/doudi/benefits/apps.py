from django.apps import AppConfig


class BenefitsConfig(AppConfig):
    name = "doudi.benefits"
    verbose_name = "救助待遇"
