from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tsunagu.core.errors import DomainError
from tsunagu.core.forms import add_domain_error

from .forms import InvitationForm, SignUpForm
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
