from django.apps import AppConfig


class CommsConfig(AppConfig):
    name = "tsunagu.comms"
    verbose_name = "連絡"
