from django.urls import path

from . import views

app_name = "collection"
urlpatterns = [
    path("", views.coverage_view, name="coverage"),
    path("sources/", views.sources_view, name="sources"),
    path("candidates/<int:candidate_id>/", views.candidate_view, name="candidate"),
    path("municipalities/<str:lg_code>/paste/", views.paste_view, name="paste"),
]
