from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.core.errors import DomainError
from tsunagu.core.forms import add_domain_error

from .forms import PreferenceForm
from .hours import TOKYO
from .models import Notification, Preference
from .services import hours_of, preference_update


@login_required
def notification_list_view(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.filter(user=request.user).prefetch_related("deliveries")[:100]
    return render(request, "comms/notification_list.html", {"notifications": notifications})


@login_required
@require_POST
def notifications_read_view(request: HttpRequest) -> HttpResponse:
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("comms:notifications")


@login_required
def preference_view(request: HttpRequest) -> HttpResponse:
    preference = Preference.objects.filter(user=request.user).first()
    initial = {"email_on": preference.email_on if preference else True, "slack_on": preference.slack_on if preference else False,
               "slack_webhook_url": preference.slack_webhook_url if preference else "",
               "digest_times": " ".join(preference.digest_times) if preference else "",
               "kinds_off": preference.kinds_off if preference else []}
    form = PreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            preference_update(user=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("お知らせの受け取り方を保存しました。"))
            return redirect("comms:preferences")
    hours = hours_of(request.user)
    now = timezone.now()
    next_quiet = hours.next_delivery(now)
    return render(request, "comms/preferences.html", {
        "form": form, "awake": hours.is_awake(now), "windows": hours.windows,
        "next_delivery": next_quiet.astimezone(TOKYO),
    }, status=400 if form.errors else 200)
