from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tsunagu.search.forms import SearchForm

from .access import access_organisation
from .selectors import analytics_for_search, organisation_profile, organisation_search

PAGE_SIZE = 50


def analytics_view(request: HttpRequest) -> HttpResponse:
    """The numbers behind any search: the same query string as the search page."""
    form = SearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    text = criteria.get("q", "")
    analytics = analytics_for_search(text=text, filters=form.filters())
    kept = urlencode([(k, v) for k, v in request.GET.items() if v and k not in ("page", "sort")])
    return render(request, "insights/analytics.html", {
        "form": form, "text": text.strip(), "analytics": analytics, "search_query": kept,
    })


def organisation_list_view(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "")[:200]
    page = Paginator(organisation_search(text=text), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "insights/organisation_list.html", {"page": page, "text": text})


def organisation_detail_view(request: HttpRequest, organisation_id: int) -> HttpResponse:
    organisation = access_organisation(request.user, organisation_id)
    return render(request, "insights/organisation_detail.html", {"profile": organisation_profile(organisation)})
