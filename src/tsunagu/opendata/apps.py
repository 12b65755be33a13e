from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "tsunagu.opendata"
    label = "opendata"
    verbose_name = "オープンデータ（OCDS）"
