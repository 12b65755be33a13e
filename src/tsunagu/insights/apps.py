from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "tsunagu.insights"
    verbose_name = "分析"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 (keeps the facts in step with the notices' writes)
