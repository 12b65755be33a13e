from django.urls import path

from . import views

app_name = "comms"
urlpatterns = [
    path("notifications/", views.notification_list_view, name="notifications"),
    path("notifications/read/", views.notifications_read_view, name="notifications_read"),
    path("preferences/", views.preference_view, name="preferences"),
    path("projects/<int:project_id>/", views.project_thread_view, name="project_thread"),
    path("projects/<int:project_id>/charter/", views.charter_view, name="charter"),
    path("elements/<int:element_id>/", views.element_thread_view, name="element_thread"),
    path("projects/<int:project_id>/with/<int:user_id>/", views.direct_view, name="direct"),
    path("attachments/<int:attachment_id>/", views.attachment_view, name="attachment"),
    path("messages/<int:message_id>/read/", views.acknowledge_view, name="acknowledge"),
    path("meetings/", views.meetings_view, name="meetings"),
    path("meetings/<int:series_id>/", views.meeting_view, name="meeting"),
    path("meetings/<int:series_id>.ics", views.meeting_ics_view, name="meeting_ics"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/<str:token>.ics", views.calendar_feed_view, name="calendar_feed"),
]
