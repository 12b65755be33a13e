from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "tsunagu.notices"
    verbose_name = "公募・落札結果"

    def ready(self) -> None:
        from .signals import connect_model_signals

        connect_model_signals()
