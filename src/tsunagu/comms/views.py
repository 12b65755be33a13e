import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.core.errors import DomainError
from tsunagu.core.forms import add_domain_error

from tsunagu.workshare.access import access_element, access_project

from .forms import CharterForm, MeetingNoteForm, MessageForm, PreferenceForm, SeriesForm, WorryForm
from .hours import TOKYO
from .access import access_attachment, access_direct_peer, access_series, coordinates
from .messaging import (charter_of, charter_update, message_acknowledge, message_post, thread_members, thread_messages,
                        urgent_log)
from .meetings import (calendar_token_for, maybe_toggle, note_save, occurrences, personal_calendar, series_calendar,
                       series_create, series_skip, series_visible_to, worry_post)
from .models import CalendarToken, MeetingSeries, Message, Notification, Preference
from .services import hours_of, preference_update


@login_required
def notification_list_view(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    notifications = (Notification.objects.filter(user=request.user)
                     .filter(Q(show_after__isnull=True) | Q(show_after__lte=now)).prefetch_related("deliveries")[:100])
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


def _thread_page(request, project, element=None, *, other=None, form=None, status: int = 200) -> HttpResponse:
    from tsunagu.workshare.services import is_coordinator_of

    members = thread_members(project)
    charter = charter_of(project)
    coordinating = is_coordinator_of(request.user, project)
    return render(request, "comms/thread.html", {
        "project": project, "element": element, "other": other, "form": form or MessageForm(),
        "thread_messages": thread_messages(project, request.user, element=element, other=other),
        "members": [u for u in members if u.pk != request.user.pk],
        "charter": charter, "coordinating": coordinating,
        "charter_form": CharterForm(initial={"text": charter.text, "slack_webhook_url": charter.slack_webhook_url}),
        "can_see_phone": request.user.pk in {u.pk for u in members},
        "urgent_log": urgent_log(project) if coordinating else None,
    }, status=status)


def _post(request, project, element=None, other=None) -> HttpResponse:
    form = MessageForm(request.POST)
    if form.is_valid():
        try:
            message_post(project=project, element=element, recipient=other, by=request.user,
                         files=request.FILES.getlist("files"), **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if other:
                return redirect("comms:direct", project_id=project.pk, user_id=other.pk)
            if element:
                return redirect("comms:element_thread", element_id=element.pk)
            return redirect("comms:project_thread", project_id=project.pk)
    return _thread_page(request, project, element, other=other, form=form, status=400)


@login_required
def direct_view(request: HttpRequest, project_id: int, user_id: int) -> HttpResponse:
    """Direct messages between two people of the same project."""
    project, other = access_direct_peer(request.user, project_id, user_id)
    if request.method == "POST":
        return _post(request, project, other=other)
    return _thread_page(request, project, other=other)


@login_required
def attachment_view(request: HttpRequest, attachment_id: int) -> HttpResponse:
    attachment = access_attachment(request.user, attachment_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name,
                        content_type=attachment.content_type)


@login_required
def project_thread_view(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access_project(request.user, project_id)
    if request.method == "POST":
        return _post(request, project)
    return _thread_page(request, project)


@login_required
def element_thread_view(request: HttpRequest, element_id: int) -> HttpResponse:
    element = access_element(request.user, element_id)
    if request.method == "POST":
        return _post(request, element.project, element)
    return _thread_page(request, element.project, element)


@login_required
@require_POST
def acknowledge_view(request: HttpRequest, message_id: int) -> HttpResponse:
    message = Message.objects.filter(pk=message_id).select_related("project", "element").first()
    if message is None:
        raise Http404("message")
    project = access_project(request.user, message.project_id)
    try:
        message_acknowledge(message=message, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _thread_page(request, project, message.element, status=400)
    if message.recipient_id:
        other = message.author_id if message.recipient_id == request.user.pk else message.recipient_id
        return redirect("comms:direct", project_id=project.pk, user_id=other)
    if message.element_id:
        return redirect("comms:element_thread", element_id=message.element_id)
    return redirect("comms:project_thread", project_id=project.pk)


@login_required
@require_POST
def charter_view(request: HttpRequest, project_id: int) -> HttpResponse:
    project = access_project(request.user, project_id, need="coordinate")
    form = CharterForm(request.POST)
    if form.is_valid():
        try:
            charter_update(project=project, by=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
            return _thread_page(request, project, status=400)
        messages.success(request, _("連絡のルールを保存しました。"))
    return redirect("comms:project_thread", project_id=project.pk)


@login_required
def meetings_view(request: HttpRequest) -> HttpResponse:
    from tsunagu.accounts.invitations import coordinated_organisations

    organisations = coordinated_organisations(request.user)
    form = SeriesForm(request.POST or None, organisations=organisations)
    if request.method == "POST":
        if not organisations:
            raise PermissionDenied
        if form.is_valid():
            try:
                series = series_create(by=request.user, **form.cleaned_data)
            except DomainError as exc:
                add_domain_error(form, exc)
            else:
                return redirect("comms:meeting", series_id=series.pk)
    today = timezone.localdate()
    rows = [{"series": s, "next": occurrences(s, start=today, end=today + datetime.timedelta(weeks=8))[:4]}
            for s in series_visible_to(request.user).select_related("organisation")]
    return render(request, "comms/meetings.html", {"rows": rows, "form": form if organisations else None},
                  status=400 if form.errors else 200)


def _day(request, series: MeetingSeries) -> datetime.date:
    today = timezone.localdate()
    upcoming = occurrences(series, start=today, end=today + datetime.timedelta(weeks=12))
    raw = request.POST.get("on") or request.GET.get("on")
    try:
        return datetime.date.fromisoformat(raw) if raw else (upcoming[0] if upcoming else series.starts_on)
    except ValueError:
        raise Http404("date") from None


@login_required
def meeting_view(request: HttpRequest, series_id: int) -> HttpResponse:
    series = access_series(request.user, series_id)
    on = _day(request, series)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "maybe":
                maybe_toggle(series=series, by=request.user, on=on)
            elif action == "worry":
                form = WorryForm(request.POST)
                if form.is_valid():
                    worry_post(series=series, on=on, text=form.cleaned_data["text"])
            elif action == "note":
                form = MeetingNoteForm(request.POST)
                if form.is_valid():
                    note_save(series=series, by=request.user, on=on, text=form.cleaned_data["text"])
            elif action == "skip":
                series_skip(series=series, by=request.user, on=on)
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(f"{reverse('comms:meeting', args=[series.pk])}?on={on.isoformat()}")
    today = timezone.localdate()
    note = series.notes.filter(on=on).first()
    return render(request, "comms/meeting.html", {
        "series": series, "on": on, "upcoming": occurrences(series, start=today, end=today + datetime.timedelta(weeks=12)),
        "maybes": series.maybes.filter(on=on).select_related("user"), "worries": series.worries.filter(on=on),
        "i_may_come": series.maybes.filter(on=on, user=request.user).exists(), "worry_form": WorryForm(),
        "note_form": MeetingNoteForm(initial={"text": note.text if note else ""}),
        "coordinating": coordinates(request.user, series.organisation),
    })


@login_required
def meeting_ics_view(request: HttpRequest, series_id: int) -> HttpResponse:
    series = access_series(request.user, series_id)
    response = HttpResponse(series_calendar(series), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{series.pk}.ics"'
    return response


@login_required
def calendar_view(request: HttpRequest) -> HttpResponse:
    """The private feed's address; a new one makes the old link stop working."""
    if request.method == "POST":
        calendar_token_for(request.user, renew=True)
        messages.success(request, _("新しいアドレスにしました。前のアドレスはもう使えません。"))
        return redirect("comms:calendar")
    token = calendar_token_for(request.user)
    return render(request, "comms/calendar.html", {
        "feed_url": request.build_absolute_uri(reverse("comms:calendar_feed", args=[token]))})


def calendar_feed_view(request: HttpRequest, token: str) -> HttpResponse:
    found = CalendarToken.objects.filter(token=token).select_related("user").first()
    if found is None or not found.user.is_active:
        raise Http404("calendar")
    return HttpResponse(personal_calendar(found.user), content_type="text/calendar; charset=utf-8")
