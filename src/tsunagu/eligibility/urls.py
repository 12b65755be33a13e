from django.urls import path

from . import views

app_name = "eligibility"
urlpatterns = [
    path("", views.fit_list_view, name="fits"),
    path("profile/", views.profile_view, name="profile"),
    path("profile/registrations/", views.registration_add_view, name="registration_add"),
    path("profile/registrations/<int:registration_id>/delete/", views.registration_remove_view, name="registration_remove"),
]
