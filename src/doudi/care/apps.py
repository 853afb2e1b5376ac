from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "doudi.care"
    verbose_name = "特困供养与探访关爱"
