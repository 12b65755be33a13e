from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.core.errors import DomainError
from tsunagu.core.forms import add_domain_error

from .forms import InvitationForm, LeaveForm, SignUpForm
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
