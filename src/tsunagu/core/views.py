from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tsunagu.notices.selectors import notice_home_summary
from tsunagu.series.selectors import series_upcoming


def home(request: HttpRequest) -> HttpResponse:
    # Predicted calls are a separate section with their own query: never part of the notices' counts.
    return render(request, "core/home.html", {**notice_home_summary(), "predicted": series_upcoming()[:5]})
