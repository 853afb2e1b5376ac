from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "doudi.web"
    verbose_name = "工作台"
