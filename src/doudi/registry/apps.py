from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "doudi.registry"
    verbose_name = "家庭户籍台账"

    def ready(self) -> None:
        from doudi.accounts.scoping import use_households
        from doudi.registry.membership import MembershipHouseholds

        use_households(MembershipHouseholds())
