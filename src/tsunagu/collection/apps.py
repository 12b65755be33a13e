from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "tsunagu.collection"
    verbose_name = "収集"
