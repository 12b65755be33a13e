from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .forms import ThrottledAuthenticationForm

# No namespace: Django's password views reverse these names as they are.
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=ThrottledAuthenticationForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register_view, name="register"),
    path("register/<str:uidb64>/<str:token>/", views.register_confirm_view, name="register_confirm"),
    path("invite/", views.invitation_create_view, name="invitation_create"),
    path("me/data/", views.my_data_view, name="my_data"),
    path("me/data/export.json", views.my_data_export_view, name="my_data_export"),
    path("me/data/leave/", views.my_data_erase_view, name="my_data_erase"),
    path("invitations/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("password_reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
