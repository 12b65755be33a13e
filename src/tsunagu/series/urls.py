from django.urls import path

from . import views

app_name = "series"
urlpatterns = [
    path("upcoming/", views.series_upcoming_view, name="upcoming"),
    path("<int:series_id>/", views.series_detail_view, name="detail"),
]
