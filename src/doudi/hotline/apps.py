from django.apps import AppConfig


class HotlineConfig(AppConfig):
    name = "doudi.hotline"
    label = "hotline"
    verbose_name = "热线与投诉举报"
