from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.core.errors import DomainError
from tsunagu.core.forms import add_domain_error

from .access import access_profile, access_registration
from .forms import FitFilterForm, ProfileForm, RegistrationForm
from .selectors import fitting_notices
from .services import profile_save, registration_add, registration_remove


def fit_list_view(request: HttpRequest) -> HttpResponse:
    """「応募できそうな公募」: a login prompt for anonymous visitors (searching itself needs no login)."""
    if not request.user.is_authenticated:
        return render(request, "eligibility/login_prompt.html")
    profile = access_profile(request.user)
    if profile is None:
        return render(request, "eligibility/fit_list.html", {"profile": None})
    form = FitFilterForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    result = fitting_notices(profile=profile, today=timezone.localdate(), kind=criteria.get("kind", ""),
                             area=criteria.get("area") or "near", show_all=criteria.get("all", False))
    return render(request, "eligibility/fit_list.html", {"profile": profile, "form": form, "result": result})


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    profile = access_profile(request.user)
    initial = {}
    if profile is not None:
        initial = {"name": profile.name, "org_type": profile.org_type, "location": profile.municipality.full_name,
                   "member_count": profile.member_count, "years_active": profile.years_active}
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        profile_save(user=request.user, org_type=data["org_type"], municipality=data["location"], name=data["name"],
                     member_count=data["member_count"], years_active=data["years_active"])
        messages.success(request, _("プロフィールを保存しました。"))
        return redirect("eligibility:profile")
    status = 400 if request.method == "POST" else 200
    return render(request, "eligibility/profile.html", {
        "profile": profile, "form": form, "registration_form": RegistrationForm(),
    }, status=status)


@login_required
def registration_add_view(request: HttpRequest) -> HttpResponse:
    profile = access_profile(request.user)
    if profile is None:
        messages.error(request, _("先に団体のプロフィールを保存してください。"))
        return redirect("eligibility:profile")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            registration_add(profile=profile, body=form.cleaned_data["body"], category=form.cleaned_data["category"],
                             valid_until=form.cleaned_data["valid_until"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("入札参加資格を追加しました。"))
            return redirect("eligibility:profile")
    status = 400 if request.method == "POST" else 200
    return render(request, "eligibility/profile.html", {
        "profile": profile, "form": ProfileForm(initial={"name": profile.name, "org_type": profile.org_type,
                                                         "location": profile.municipality.full_name,
                                                         "member_count": profile.member_count,
                                                         "years_active": profile.years_active}),
        "registration_form": form,
    }, status=status)


@login_required
@require_POST
def registration_remove_view(request: HttpRequest, registration_id: int) -> HttpResponse:
    registration_remove(registration=access_registration(request.user, registration_id))
    messages.success(request, _("入札参加資格を削除しました。"))
    return redirect("eligibility:profile")
