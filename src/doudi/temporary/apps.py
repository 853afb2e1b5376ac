from django.apps import AppConfig


class TemporaryConfig(AppConfig):
    name = "doudi.temporary"
    verbose_name = "临时救助"

    def ready(self) -> None:
        from doudi.temporary import workflows

        workflows.register()  # the emergency and expenditure workflows and the temporary-assistance intake
