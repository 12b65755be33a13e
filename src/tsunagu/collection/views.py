from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tsunagu.core.errors import DomainError
from tsunagu.core.forms import add_domain_error
from tsunagu.municipalities.models import Prefecture
from tsunagu.notices.models import Notice

from .access import access_candidate, access_municipality_for_entry, require_collector
from .entry import PASTE_COLUMNS, FIELDS, accuracy, candidate_publish, entries_compare, entry_submit, paste_check, paste_enter
from .forms import EntryForm, SourceForm
from .models import Candidate, Source
from .selectors import coverage, coverage_by_prefecture, similar_notices
from .services import source_add


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
    require_collector(request.user)
    form = SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            source_add(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("情報源を登録しました。次の見回りで読みます。"))
            return redirect("collection:sources")
    right, total = accuracy(request.user)
    sources = Source.objects.select_related("municipality__prefecture").order_by("-created_at")[:200]
    candidates = Candidate.objects.filter(status="new").select_related("municipality__prefecture", "source")[:200]
    return render(request, "collection/sources.html", {"form": form, "sources": sources, "candidates": candidates,
                                                       "accuracy": (right, total)},
                  status=400 if form.errors else 200)


@login_required
def candidate_view(request: HttpRequest, candidate_id: int) -> HttpResponse:
    """Enter the candidate (pre-filled, the source text beside it, similar notices warned), or, once entered, check and
    publish it: a second person checks a single entry; a reviewer settles a double entry's disagreements."""
    candidate = access_candidate(request.user, candidate_id)
    entries = list(candidate.entries.select_related("entered_by").order_by("created_at"))
    mine = next((e for e in entries if e.entered_by_id == request.user.pk), None)
    initial = {name: f["value"] for name, f in candidate.fields.items() if name in FIELDS}
    form = EntryForm(request.POST or None, initial=initial)
    action = request.POST.get("action")
    if request.method == "POST":
        try:
            if action == "enter" and form.is_valid():
                entry_submit(candidate=candidate, by=request.user, fields=form.cleaned_data)
                messages.success(request, _("入力しました。"))
                return redirect("collection:candidate", candidate_id=candidate.pk)
            if action == "publish":
                chosen = {name: request.POST[f"final_{name}"] for name in FIELDS if request.POST.get(f"final_{name}")}
                corrects = None
                if request.POST.get("corrects", "").isdecimal():
                    corrects = Notice.objects.filter(pk=int(request.POST["corrects"]), municipality=candidate.municipality).first()
                notice = candidate_publish(candidate=candidate, by=request.user, fields=chosen or None, double=len(entries) > 1,
                                           corrects=corrects)
                messages.success(request, _("公開しました。"))
                return redirect("notices:detail", notice_id=notice.pk)
        except DomainError as exc:
            add_domain_error(form, exc) if action == "enter" else messages.error(request, exc.message)
    similar = similar_notices(candidate)
    differences = entries_compare(entries[0].fields, entries[1].fields) if len(entries) > 1 else {}
    return render(request, "collection/candidate.html", {
        "candidate": candidate, "form": form, "entries": entries, "mine": mine, "differences": differences,
        "similar": similar,
        "rows": [{"name": n, "label": form.fields[n].label, "values": [e.fields.get(n) for e in entries], "differs": n in differences}
                 for n in FIELDS],
    }, status=400 if request.method == "POST" else 200)


@login_required
def paste_view(request: HttpRequest, lg_code: str) -> HttpResponse:
    """Rows copied from the team's spreadsheet (tab-separated): every row checked with the import's parsers and shown
    back; with no problem, each row becomes an entry waiting for its check."""
    municipality = access_municipality_for_entry(request.user, lg_code)
    text = request.POST.get("rows", "")
    rows, problems = paste_check(text) if text else ([], [])
    if request.method == "POST" and rows and not problems and request.POST.get("action") == "enter":
        created = paste_enter(municipality=municipality, by=request.user, rows=rows)
        messages.success(request, _("%(n)s件を入力しました。確認はほかの人がします。") % {"n": len(created)})
        return redirect("collection:sources")
    return render(request, "collection/paste.html", {"municipality": municipality, "text": text, "rows": rows,
                                                     "problems": problems, "columns": PASTE_COLUMNS},
                  status=400 if problems else 200)
