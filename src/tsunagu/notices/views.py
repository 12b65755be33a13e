from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.accounts.access import coordinator_required
from tsunagu.core.errors import DomainError
from tsunagu.core.forms import add_domain_error
from tsunagu.insights.selectors import analytics_for_municipality
from tsunagu.search.forms import SearchForm
from tsunagu.search.selectors import notice_search

from .access import access_import_run, access_notice, can_see_provenance
from .forms import ImportUploadForm
from .calendar import notice_calendar, notice_deadlines
from .exports import notice_structured_data
from .selectors import import_run_progress, import_runs_for, municipality_notices_page, notice_same_call_other_years
from .services import import_run_confirm, import_run_create
from .templates_xlsx import TEMPLATES, import_template_workbook

PAGE_SIZE = 20  # search results a page: a phone's worth, and the page bench/search.py measures


def _page_number(value: str | None) -> int:
    """The page asked for, as `Paginator.get_page` reads it (anything else is the first page)."""
    try:
        return max(int(value or 1), 1)
    except ValueError:
        return 1


def notice_list_view(request: HttpRequest) -> HttpResponse:
    """The public search: keywords, filters and sorting in the URL, so a search can be shared."""
    form = SearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    filters = form.filters()
    result = notice_search(text=criteria.get("q", ""), filters=filters, sort=criteria.get("sort") or "relevance")
    shown = _page_number(request.GET.get("page"))
    facets = result.facets(municipalities=bool(filters.prefecture),  # first: the count comes with the facets
                           page=slice((shown - 1) * PAGE_SIZE, shown * PAGE_SIZE))
    page = Paginator(result.notices, PAGE_SIZE).get_page(request.GET.get("page"))
    searched = bool(criteria.get("q", "").strip())
    return render(request, "notices/notice_list.html", {
        "page": page, "form": form, "query": result.query if searched else None, "ignored": result.query.ignored,
        "facets": form.facet_links(facets),
    })


def notice_detail_view(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = access_notice(request.user, notice_id)
    show_provenance = can_see_provenance(request.user)
    url = request.build_absolute_uri(notice.get_absolute_url())
    return render(request, "notices/notice_detail.html", {
        "notice": notice, "show_provenance": show_provenance, "timeline": notice_deadlines(notice),
        "other_years": notice_same_call_other_years(notice), "structured_data": notice_structured_data(notice, url=url),
        "today": timezone.localdate(),
    })


def notice_calendar_view(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = access_notice(request.user, notice_id)
    body = notice_calendar(notice, url=request.build_absolute_uri(notice.get_absolute_url()))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.pk}.ics"'
    return response


@coordinator_required
def import_list_view(request: HttpRequest) -> HttpResponse:
    runs = Paginator(import_runs_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "notices/import_list.html", {"runs": runs, "form": ImportUploadForm()})


@coordinator_required
def import_upload_view(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            run = import_run_create(kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"], user=request.user,
                                    sheet=form.cleaned_data["sheet"], language=translation.get_language() or "ja")
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return redirect("notices:import_detail", run_id=run.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "notices/import_upload.html", {"form": form}, status=status)


@coordinator_required
def import_detail_view(request: HttpRequest, run_id: int) -> HttpResponse:
    run = import_run_progress(access_import_run(request.user, run_id))
    return render(request, "notices/import_detail.html", {"run": run})


@coordinator_required
@require_POST
def import_confirm_view(request: HttpRequest, run_id: int) -> HttpResponse:
    run = access_import_run(request.user, run_id, need="confirm")
    try:
        import_run_confirm(run=run, user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("取り込みを開始しました。"))
    return redirect("notices:import_detail", run_id=run.pk)


@coordinator_required
def import_error_file_view(request: HttpRequest, run_id: int) -> FileResponse:
    run = access_import_run(request.user, run_id)
    if not run.error_file:
        raise Http404
    name = f"{run.filename.rsplit('.', 1)[0]}-errors.{run.error_file.name.rsplit('.', 1)[-1]}"
    return FileResponse(run.error_file.open("rb"), as_attachment=True, filename=name)


def import_template_view(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in TEMPLATES:
        raise Http404
    response = HttpResponse(
        import_template_workbook(kind), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f"attachment; filename=\"tsunagu-{kind}-template.xlsx\""
    return response


def municipality_detail_view(request: HttpRequest, lg_code: str) -> HttpResponse:
    page = municipality_notices_page(lg_code=lg_code)
    if page is None:
        raise Http404
    page["analytics"] = analytics_for_municipality(page["municipality"])  # the buyer's side: same numbers as /insights/
    return render(request, "notices/municipality_detail.html", page)
