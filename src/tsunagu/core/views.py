from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tsunagu.notices.selectors import notice_home_summary


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", notice_home_summary())
