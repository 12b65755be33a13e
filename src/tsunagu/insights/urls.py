from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.analytics_view, name="analytics"),
    path("organisations/", views.organisation_list_view, name="organisations"),
    path("organisations/<int:organisation_id>/", views.organisation_detail_view, name="organisation"),
]
