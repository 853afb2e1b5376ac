from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "doudi.bench"
    verbose_name = "性能基准"
