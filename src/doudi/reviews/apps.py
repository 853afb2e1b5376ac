from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "doudi.reviews"
    verbose_name = "动态管理"
