from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "doudi.demo"
    verbose_name = "演示数据"
