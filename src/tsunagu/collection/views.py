from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Membership
from tsunagu.core.errors import DomainError
from tsunagu.core.forms import add_domain_error
from tsunagu.municipalities.models import Municipality, Prefecture

from .forms import SourceForm
from .models import Candidate, Source
from .selectors import coverage, coverage_by_prefecture


def _collects(user) -> bool:
    """Coordinators and workers of an NPO build the database; owners and the public read it."""
    return user.is_authenticated and (user.is_superuser or Membership.objects.filter(
        user=user, role__in=[Membership.Role.COORDINATOR, Membership.Role.WORKER]).exists())


def coverage_view(request: HttpRequest) -> HttpResponse:
    """Public: by prefecture, then (with ?prefecture=) by municipality: sources, last checked, records this fiscal year."""
    prefecture = request.GET.get("prefecture", "")
    if prefecture and not Prefecture.objects.filter(code=prefecture).exists():
        prefecture = ""
    rows = coverage(prefecture=prefecture)
    return render(request, "collection/coverage.html", {
        "rows": rows if prefecture else None, "prefectures": coverage_by_prefecture(rows),
        "prefecture": Prefecture.objects.filter(code=prefecture).first(),
        "totals": {state: sum(1 for r in rows if r.state == state) for state in ("fresh", "stale", "none")},
    })


@login_required
def sources_view(request: HttpRequest) -> HttpResponse:
    if not _collects(request.user):
        raise PermissionDenied
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        municipality = Municipality.objects.filter(lg_code=data["lg_code"]).first()
        try:
            if municipality is None:
                raise DomainError(_("団体コード %(code)s は自治体マスタにありません。") % {"code": data["lg_code"]}, field="lg_code")
            if Source.objects.filter(municipality=municipality, url=data["url"]).exists():
                raise DomainError(_("この情報源はもう登録されています。"), field="url")
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            Source.objects.create(municipality=municipality, url=data["url"], kind=data["kind"], added_by=request.user)
            messages.success(request, _("情報源を登録しました。次の見回りで読みます。"))
            return redirect("collection:sources")
    sources = Source.objects.select_related("municipality__prefecture").order_by("-created_at")[:200]
    candidates = Candidate.objects.filter(status="new").select_related("municipality__prefecture", "source")[:200]
    return render(request, "collection/sources.html", {"form": form, "sources": sources, "candidates": candidates},
                  status=400 if form.errors else 200)
