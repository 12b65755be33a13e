from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "tsunagu.search"
    verbose_name = "検索"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 (connects the index to the notices' writes)
