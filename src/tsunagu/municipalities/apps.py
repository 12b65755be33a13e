from django.apps import AppConfig


class MunicipalitiesConfig(AppConfig):
    name = "tsunagu.municipalities"
    verbose_name = "自治体"
