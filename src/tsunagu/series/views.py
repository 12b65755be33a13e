from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import access_series
from .forms import UpcomingForm
from .selectors import series_budget_chart, series_history, series_upcoming

PAGE_SIZE = 50


def series_detail_view(request: HttpRequest, series_id: int) -> HttpResponse:
    series = access_series(request.user, series_id)
    rows = series_history(series)
    return render(request, "series/series_detail.html", {
        "series": series, "rows": rows, "chart": series_budget_chart(series, rows),
    })


def series_upcoming_view(request: HttpRequest) -> HttpResponse:
    form = UpcomingForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    upcoming = series_upcoming(prefecture=criteria.get("prefecture", ""), kind=criteria.get("kind", ""),
                               month=criteria.get("month"))
    page = Paginator(upcoming, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "series/upcoming.html", {"form": form, "page": page})
