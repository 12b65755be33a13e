from django.urls import path

from . import views

app_name = "comms"
urlpatterns = [
    path("notifications/", views.notification_list_view, name="notifications"),
    path("notifications/read/", views.notifications_read_view, name="notifications_read"),
    path("preferences/", views.preference_view, name="preferences"),
]
