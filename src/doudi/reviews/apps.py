from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "doudi.reviews"
    verbose_name = "动态管理"

    def ready(self) -> None:
        from doudi.registry.services import on_death
        from doudi.reviews.services.deaths import death_review_open

        on_death(death_review_open)  # a recorded death opens the household's review at once (S5 §1(3))
