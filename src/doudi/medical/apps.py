from django.apps import AppConfig


class MedicalConfig(AppConfig):
    name = "doudi.medical"
    verbose_name = "医疗救助"
