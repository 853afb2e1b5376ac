from django.apps import AppConfig


class SelfServiceConfig(AppConfig):
    name = "doudi.selfservice"
    verbose_name = "申请人自助服务"
