from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "doudi.payments"
    verbose_name = "待遇发放"
