from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("", views.notice_list_view, name="list"),
    path("<int:notice_id>/", views.notice_detail_view, name="detail"),
    path("<int:notice_id>/calendar.ics", views.notice_calendar_view, name="calendar"),
    path("imports/", views.import_list_view, name="import_list"),
    path("imports/new/", views.import_upload_view, name="import_upload"),
    path("imports/<int:run_id>/", views.import_detail_view, name="import_detail"),
    path("imports/<int:run_id>/confirm/", views.import_confirm_view, name="import_confirm"),
    path("imports/<int:run_id>/errors/", views.import_error_file_view, name="import_error_file"),
    path("templates/<str:kind>.xlsx", views.import_template_view, name="import_template"),
]
