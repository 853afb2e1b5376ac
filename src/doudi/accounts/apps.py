from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "doudi.accounts"
    verbose_name = "用户与授权"

    def ready(self) -> None:
        from doudi.accounts import signals  # noqa: F401  (connects the login/logout audit receivers)
