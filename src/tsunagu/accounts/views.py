from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from tsunagu.core.errors import DomainError
from tsunagu.core.forms import add_domain_error

from .forms import ConfirmForm, InvitationForm, RegisterForm, SignUpForm
from .registration import registration_confirm, registration_open, searcher_register
from .invitations import coordinated_organisations, invitation_accept, invitation_create, invitation_open


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
