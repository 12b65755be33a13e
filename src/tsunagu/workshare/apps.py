from django.apps import AppConfig


class WorkshareConfig(AppConfig):
    name = "tsunagu.workshare"
    verbose_name = "ワークシェア"
