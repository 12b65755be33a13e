from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tsunagu.api"
    verbose_name = "API"
