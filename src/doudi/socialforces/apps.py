from django.apps import AppConfig


class SocialforcesConfig(AppConfig):
    name = "doudi.socialforces"
    verbose_name = "社会力量参与"
