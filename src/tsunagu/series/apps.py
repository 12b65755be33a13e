from django.apps import AppConfig


class SeriesConfig(AppConfig):
    name = "tsunagu.series"
    verbose_name = "毎年の公募（シリーズ）"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 (series membership follows every write of a notice)
