from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "tsunagu.notices"
    verbose_name = "公募・落札結果"
