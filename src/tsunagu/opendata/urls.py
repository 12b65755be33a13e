from django.urls import path

from . import views

app_name = "opendata"
urlpatterns = [
    path("", views.opendata_view, name="index"),
    path("download/<str:name>", views.opendata_download_view, name="download"),
    path("extension/<str:name>", views.opendata_extension_view, name="extension"),
]
