from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    name = "tsunagu.eligibility"
    verbose_name = "応募資格"
