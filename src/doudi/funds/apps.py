from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "doudi.funds"
    verbose_name = "资金管理"
