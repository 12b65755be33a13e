from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "tsunagu.alerts"
    verbose_name = "アラート"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 (notes every written notice for the matcher)
