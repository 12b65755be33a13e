from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from tsunagu.core.errors import DomainError
from tsunagu.core.forms import add_domain_error
from tsunagu.notices.access import access_notice

from . import services
from .access import access_api_token, access_saved_search
from .criteria import describe
from .forms import ApiTokenForm, SavedSearchForm
from .models import ApiToken
from .selectors import followed_notices, is_following, recent_alerts, saved_search_matches, saved_searches_of


@login_required
def index_view(request: HttpRequest) -> HttpResponse:
    matches, changes = recent_alerts(request.user)
    token = services.feed_token_for(request.user)
    return render(request, "alerts/index.html", {
        "searches": saved_searches_of(request.user), "matches": matches, "changes": changes,
        "feed_token": token.token, "api_tokens": ApiToken.objects.visible_to(request.user), "token_form": ApiTokenForm(),
        "follows_calendar_url": request.build_absolute_uri(reverse("alerts:follows_calendar", args=[token.token])),
    })


def _saved_search_page(request, form, *, saved_search=None, query_string="", status=200, **extra) -> HttpResponse:
    return render(request, "alerts/saved_search_form.html", {
        "form": form, "saved_search": saved_search, "conditions": describe(query_string), "query_string": query_string,
        **extra,
    }, status=status)


@login_required
def saved_search_new_view(request: HttpRequest) -> HttpResponse:
    """GET carries the search page's query string (the 「この条件を保存」 button); POST saves it."""
    if request.method != "POST":
        query_string = request.GET.urlencode()
        form = SavedSearchForm(initial={"query_string": query_string, "name": describe(query_string)[:100]})
        return _saved_search_page(request, form, query_string=query_string)
    form = SavedSearchForm(request.POST)
    query_string = request.POST.get("query_string", "")
    if form.is_valid():
        try:
            services.saved_search_create(user=request.user, **{k: v for k, v in form.cleaned_data.items() if k != "paused"})
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("検索条件を保存しました。新しい公募が見つかるとお知らせします。"))
            return redirect("alerts:index")
    return _saved_search_page(request, form, query_string=query_string, status=400)


@login_required
def saved_search_edit_view(request: HttpRequest, saved_search_id: int) -> HttpResponse:
    saved_search = access_saved_search(request.user, saved_search_id)
    if request.method != "POST":
        form = SavedSearchForm(initial={f: getattr(saved_search, f) for f in SavedSearchForm.base_fields})
        return _saved_search_page(request, form, saved_search=saved_search, query_string=saved_search.query_string,
                                  matches=saved_search_matches(saved_search))
    form = SavedSearchForm(request.POST)
    if form.is_valid():
        try:
            services.saved_search_update(saved_search=saved_search, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("「%(name)s」を保存しました。") % {"name": saved_search.name})
            return redirect("alerts:index")
    return _saved_search_page(request, form, saved_search=saved_search, query_string=saved_search.query_string, status=400)


@login_required
@require_POST
def saved_search_pause_view(request: HttpRequest, saved_search_id: int) -> HttpResponse:
    saved_search = access_saved_search(request.user, saved_search_id)
    services.saved_search_pause(saved_search=saved_search, paused=not saved_search.paused)
    messages.success(request, (_("「%(name)s」を一時停止しました。") if saved_search.paused else _("「%(name)s」を再開しました。"))
                     % {"name": saved_search.name})
    return redirect("alerts:index")


@login_required
@require_POST
def saved_search_delete_view(request: HttpRequest, saved_search_id: int) -> HttpResponse:
    saved_search = access_saved_search(request.user, saved_search_id)
    services.saved_search_delete(saved_search=saved_search)
    messages.success(request, _("「%(name)s」を削除しました。") % {"name": saved_search.name})
    return redirect("alerts:index")


@login_required
def follows_view(request: HttpRequest) -> HttpResponse:
    token = services.feed_token_for(request.user)
    return render(request, "alerts/follows.html", {
        "follows": followed_notices(request.user),
        "calendar_url": request.build_absolute_uri(reverse("alerts:follows_calendar", args=[token.token]))})


@login_required
@require_POST
def follow_view(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = access_notice(request.user, notice_id)
    following = not is_following(request.user, notice.pk)
    services.follow_set(user=request.user, notice=notice, following=following)
    messages.success(request, _("この公募をフォローしました。訂正・中止・締切の変更・結果の公表をお知らせします。") if following
                     else _("フォローをやめました。"))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = notice.get_absolute_url()
    return redirect(back)


@login_required
@require_POST
def feed_token_view(request: HttpRequest) -> HttpResponse:
    services.feed_token_renew(user=request.user)
    messages.success(request, _("フィードのURLを新しくしました。前のURLはもう使えません。"))
    return redirect("alerts:index")


@login_required
@require_POST
def api_token_create_view(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("トークンの名前を書いてください（例：業務用スクリプト）。"), field="name")
        _token, value = services.api_token_create(user=request.user, name=form.cleaned_data["name"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("APIトークンを作りました。この画面を離れると二度と表示されません：%(token)s") % {"token": value})
    return redirect("alerts:index")


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = access_api_token(request.user, token_id)
    services.api_token_revoke(token=token)
    messages.success(request, _("APIトークン「%(name)s」を取り消しました。") % {"name": token.name})
    return redirect("alerts:index")


@csrf_exempt  # mail clients POST the one-click unsubscribe (RFC 8058) without a session; the signed token is the check
def unsubscribe_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (a link preview must not unsubscribe anyone); POST stops the mails of what that mail carried."""
    try:
        delivery = services.unsubscribe_open(token)
    except DomainError as exc:
        return render(request, "alerts/unsubscribe.html", {"error": exc.message}, status=400)
    if request.method == "POST":
        searches, follows = services.unsubscribe(delivery=delivery)
        return render(request, "alerts/unsubscribe.html", {"done": True, "searches": searches, "follows": follows})
    return render(request, "alerts/unsubscribe.html", {"token": token, "delivery": delivery})
