from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "doudi.cases"
    verbose_name = "受理审批"

    def ready(self) -> None:
        from doudi.cases.services import standard

        standard.register()  # the standard and adjustment workflows (cases.workflow explains the plug-in)
