from django.contrib import admin
from django.urls import include, path

from tsunagu.api.v1 import api
from tsunagu.core import views as core_views
from tsunagu.notices import views as notice_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("health/", core_views.health, name="health"),
    path("accounts/", include("tsunagu.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notices/", include("tsunagu.notices.urls")),
    path("work/", include("tsunagu.workshare.urls")),
    path("comms/", include("tsunagu.comms.urls")),
    path("coverage/", include("tsunagu.collection.urls")),
    path("", include("tsunagu.alerts.urls")),  # /alerts/… and /notices/feed.atom
    path("series/", include("tsunagu.series.urls")),
    path("eligibility/", include("tsunagu.eligibility.urls")),
    path("opendata/", include("tsunagu.opendata.urls")),
    path("insights/", include("tsunagu.insights.urls")),
    path("municipalities/<str:lg_code>/", notice_views.municipality_detail_view, name="municipality_detail"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
