from django.urls import path

from . import views

app_name = "collection"
urlpatterns = [
    path("", views.coverage_view, name="coverage"),
    path("sources/", views.sources_view, name="sources"),
]
