from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.shortcuts import render

from tsunagu.notices.selectors import notice_home_summary
from tsunagu.series.selectors import series_upcoming

from .health import health_report


def home(request: HttpRequest) -> HttpResponse:
    # Predicted calls are a separate section with their own query: never part of the notices' counts.
    return render(request, "core/home.html", {**notice_home_summary(), "predicted": series_upcoming()[:5]})


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For monitoring and load balancers; public, so it says what failed, never how to reach it."""
    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)
