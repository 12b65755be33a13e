from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.core.errors import DomainError
from tsunagu.core.forms import add_domain_error

from .forms import ConfirmForm, InvitationForm, LeaveForm, RegisterForm, SignUpForm
from .registration import registration_confirm, registration_open, searcher_register
from .invitations import coordinated_organisations, invitation_accept, invitation_create, invitation_open
from .personal_data import personal_data_erase, personal_data_export


@login_required
def invitation_create_view(request: HttpRequest) -> HttpResponse:
    organisations = coordinated_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    form = InvitationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            invitation_create(by=request.user, **form.cleaned_data,
                              accept_url=lambda token: request.build_absolute_uri(reverse("invitation_accept", args=[token])))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(email)s に招待を送りました。") % {"email": form.cleaned_data["email"]})
            return redirect("invitation_create")
    return render(request, "registration/invite.html", {"form": form}, status=400 if form.errors else 200)


def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = invitation_open(token)
    except DomainError as exc:
        return render(request, "registration/invitation_closed.html", {"message": exc.message}, status=410)
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = invitation_accept(token=token, username=data["username"], display_name=data["display_name"],
                                     password=data["password1"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("ようこそ。プロフィールに顔写真と作業できる時間帯を書きましょう。"))
            return redirect("workshare:profile_edit")
    return render(request, "registration/signup.html", {"form": form, "invitation": invitation},
                  status=400 if form.errors else 200)


@login_required
def my_data_view(request: HttpRequest) -> HttpResponse:
    """One's own data: download all of it, or leave."""
    return render(request, "registration/my_data.html", {"form": LeaveForm()})


@login_required
def my_data_export_view(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(personal_data_export(user=request.user), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tsunagu-my-data-{timezone.localdate():%Y%m%d}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def my_data_erase_view(request: HttpRequest) -> HttpResponse:
    form = LeaveForm(request.POST)
    if form.is_valid():
        try:
            personal_data_erase(user=request.user, password=form.cleaned_data["password"])
        except DomainError as error:
            add_domain_error(form, error)
        else:
            logout(request)
            messages.success(request, _("退会しました。ご利用ありがとうございました。"))
            return redirect("home")
    return render(request, "registration/my_data.html", {"form": form}, status=400)
def register_view(request: HttpRequest) -> HttpResponse:
    """Public sign-up for searchers: e-mail and password; the account opens from the link mailed to the address."""
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            searcher_register(email=form.cleaned_data["email"], password=form.cleaned_data["password1"],
                              confirm_url=lambda uid, token: request.build_absolute_uri(reverse("register_confirm", args=[uid, token])))
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return render(request, "registration/register_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "registration/register.html", {"form": form}, status=400 if form.errors else 200)


def register_confirm_view(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """GET shows the form (a link preview must not open the account); POST with the password opens it."""
    try:
        account = registration_open(uidb64, token)
    except DomainError as exc:
        return render(request, "registration/invitation_closed.html", {"message": exc.message}, status=400)
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = registration_confirm(uidb64=uidb64, token=token, password=form.cleaned_data["password"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("登録が終わりました。検索結果のページで「この条件を保存」を押すと、新しい公募をお知らせします。"))
            back = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
                back = reverse("notices:list")
            return redirect(back)
    return render(request, "registration/register_confirm.html", {"form": form, "account": account},
                  status=400 if form.errors else 200)
