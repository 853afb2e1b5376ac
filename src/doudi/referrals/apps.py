from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "doudi.referrals"
    verbose_name = "推送转办"
