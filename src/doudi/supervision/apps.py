from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "doudi.supervision"
    label = "supervision"
    verbose_name = "双随机一公开"
