from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "doudi.core"
    verbose_name = "核心"

    def ready(self) -> None:
        from doudi.core.logging import install_record_masking

        install_record_masking()

        from doudi.core.speed import install

        install()
