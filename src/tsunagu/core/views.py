from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.shortcuts import render

from tsunagu.notices.selectors import notice_home_summary

from .health import health_report


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", notice_home_summary())


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For monitoring and load balancers; public, so it says what failed, never how to reach it."""
    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)
