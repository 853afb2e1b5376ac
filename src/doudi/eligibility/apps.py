from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "doudi.eligibility"
    verbose_name = "资格认定"

    def ready(self) -> None:
        # The registry's household page reads who counts (and why) from the engine, through this app.
        from doudi.eligibility.facts import snapshot_facts
        from doudi.registry.selectors import install_member_facts

        install_member_facts(snapshot_facts)
