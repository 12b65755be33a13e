"""Recurring consultation meetings and each person's private calendar feed (iCalendar)."""

import datetime
import secrets

from dateutil.rrule import WEEKLY, rrule
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vRecur

from tsunagu.accounts.models import Membership
from tsunagu.core.errors import DomainError

from .hours import TOKYO
from .models import CalendarToken, MeetingMaybe, MeetingNote, MeetingSeries, Worry

PRODID = "-//Tsunagu//tsunagu//JA"


def series_visible_to(user):
    if not user.is_authenticated:
        return MeetingSeries.objects.none()
    return MeetingSeries.objects.filter(organisation__memberships__user=user).distinct()


def coordinates(user, organisation) -> bool:
    return Membership.objects.filter(user=user, organisation=organisation, role=Membership.Role.COORDINATOR).exists()


@transaction.atomic
def series_create(*, organisation, by, weekday: int, interval_weeks: int, starts_on: datetime.date, start_time: datetime.time,
                  end_time: datetime.time, video_url: str = "", until: datetime.date | None = None, title: str = "") -> MeetingSeries:
    if not coordinates(by, organisation):
        raise DomainError(_("相談会を作れるのは、その団体のコーディネーターです。"))
    if start_time >= end_time:
        raise DomainError(_("終わりが始まりより前です。"), field="end_time")
    if not 1 <= interval_weeks <= 4:
        raise DomainError(_("間隔は1〜4週にしてください。"), field="interval_weeks")
    if until and until < starts_on:
        raise DomainError(_("最終回が初回より前です。"), field="until")
    if starts_on.weekday() != weekday:
        raise DomainError(_("初回の日付が選んだ曜日ではありません。"), field="starts_on")
    return MeetingSeries.objects.create(organisation=organisation, weekday=weekday, interval_weeks=interval_weeks,
                                        starts_on=starts_on, start_time=start_time, end_time=end_time, video_url=video_url,
                                        until=until, title=title or "お悩み相談会", created_by=by)


def occurrences(series: MeetingSeries, *, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The meeting dates between start and end (inclusive), without the skipped ones."""
    rule = rrule(WEEKLY, interval=series.interval_weeks, dtstart=series.starts_on, until=series.until or end)
    skipped = set(series.skipped or [])
    return [d.date() for d in rule.between(datetime.datetime.combine(start, datetime.time()),
                                           datetime.datetime.combine(end, datetime.time(23, 59)), inc=True)
            if d.date().isoformat() not in skipped]


def _require_date(series: MeetingSeries, on: datetime.date) -> None:
    if on not in occurrences(series, start=on, end=on):
        raise DomainError(_("その日は相談会の日ではありません。"), field="on")


@transaction.atomic
def series_skip(*, series: MeetingSeries, by, on: datetime.date) -> MeetingSeries:
    if not coordinates(by, series.organisation):
        raise DomainError(_("お休みにできるのはコーディネーターです。"))
    _require_date(series, on)
    series.skipped = sorted({*series.skipped, on.isoformat()})
    series.save(update_fields=["skipped"])
    return series


def maybe_toggle(*, series: MeetingSeries, by, on: datetime.date) -> bool:
    _require_date(series, on)
    existing = MeetingMaybe.objects.filter(series=series, on=on, user=by)
    if existing.exists():
        existing.delete()
        return False
    MeetingMaybe.objects.create(series=series, on=on, user=by)
    return True


def worry_post(*, series: MeetingSeries, on: datetime.date, text: str) -> Worry:
    """Anonymous on purpose: the caller's identity is not passed in, so it can't be stored."""
    _require_date(series, on)
    if not text.strip():
        raise DomainError(_("相談したいことを書いてください。"), field="text")
    return Worry.objects.create(series=series, on=on, text=text.strip()[:2000])


def note_save(*, series: MeetingSeries, by, on: datetime.date, text: str) -> MeetingNote:
    _require_date(series, on)
    note, _created = MeetingNote.objects.update_or_create(series=series, on=on, defaults={"text": text, "updated_by": by})
    return note


def series_event(series: MeetingSeries) -> Event:
    event = Event()
    event.add("uid", f"meeting-{series.pk}@tsunagu")
    event.add("summary", series.title)
    event.add("dtstart", datetime.datetime.combine(series.starts_on, series.start_time, tzinfo=TOKYO))
    event.add("dtend", datetime.datetime.combine(series.starts_on, series.end_time, tzinfo=TOKYO))
    rule = {"freq": "weekly", "interval": series.interval_weeks}
    if series.until:
        # RFC 5545: with a zoned DTSTART, UNTIL is in UTC
        rule["until"] = datetime.datetime.combine(series.until, series.end_time, tzinfo=TOKYO).astimezone(datetime.UTC)
    event.add("rrule", vRecur(rule))
    for day in series.skipped or []:
        event.add("exdate", datetime.datetime.combine(datetime.date.fromisoformat(day), series.start_time, tzinfo=TOKYO))
    description = series.description + (f"\n{series.video_url}" if series.video_url else "")
    event.add("description", description)
    if series.video_url:
        event.add("url", series.video_url)
    event.add("dtstamp", timezone.now())
    return event


def series_calendar(series: MeetingSeries) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add_component(series_event(series))
    return calendar.to_ical()


def calendar_token_for(user, *, renew: bool = False) -> str:
    token = CalendarToken.objects.filter(user=user).first()
    if token is None or renew:
        value = secrets.token_urlsafe(32)
        CalendarToken.objects.update_or_create(user=user, defaults={"token": value})
        return value
    return token.token


def personal_calendar(user) -> bytes:
    """Meetings of one's organisations, one's due dates (primary or backup) and the reviews one owes."""
    from tsunagu.workshare.models import Project, Submission, WorkElement

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "つなぐ")
    for series in series_visible_to(user):
        calendar.add_component(series_event(series))
    elements = (WorkElement.objects.filter(project__in=Project.objects.visible_to(user))
                .filter(Q(primary=user) | Q(backup=user)).exclude(status="accepted"))
    for element in elements:
        event = Event()
        event.add("uid", f"element-{element.pk}@tsunagu")
        role = _("担当") if element.primary_id == user.pk else _("バックアップ")
        event.add("summary", _("期限（%(role)s）：%(title)s") % {"role": role, "title": element.title})
        event.add("dtstart", element.due_on)
        event.add("dtend", element.due_on + datetime.timedelta(days=1))
        event.add("dtstamp", timezone.now())
        calendar.add_component(event)
    reviews = Submission.objects.filter(decision="pending", element__project__in=Project.objects.visible_to(user))
    for submission in reviews.select_related("element__project"):
        project = submission.element.project
        if user.pk != project.owner_id and not coordinates(user, project.organisation):
            continue
        event = Event()
        event.add("uid", f"review-{submission.pk}@tsunagu")
        event.add("summary", _("確認の期限：%(title)s") % {"title": submission.element.title})
        event.add("dtstart", submission.review_due_at)
        event.add("dtend", submission.review_due_at + datetime.timedelta(minutes=30))
        event.add("dtstamp", timezone.now())
        calendar.add_component(event)
    return calendar.to_ical()


def meeting_reminders_send(*, today: datetime.date | None = None) -> int:
    """The day before each meeting, its organisation's people are reminded (within their own hours, like any notice)."""
    from django.db import IntegrityError
    from django.urls import reverse

    from .models import Kind, MeetingReminder
    from .services import notification_create

    today = today or timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    sent = 0
    for series in MeetingSeries.objects.select_related("organisation"):
        if tomorrow not in occurrences(series, start=tomorrow, end=tomorrow):
            continue
        try:
            with transaction.atomic():
                MeetingReminder.objects.create(series=series, on=tomorrow)
                people = [m.user for m in series.organisation.memberships.select_related("user")]
                notification_create(
                    recipients=people, kind=Kind.MEETING, url=f"{reverse('comms:meeting', args=[series.pk])}?on={tomorrow}",
                    subject=_("明日は%(title)sです（%(start)s〜）") % {"title": series.title, "start": series.start_time.strftime("%H:%M")},
                    body=_("出るかどうかは自由です。話したいことは匿名の相談箱にも入れられます。") + (f"\n{series.video_url}" if series.video_url else ""))
                sent += 1
        except IntegrityError:
            continue  # already reminded
    return sent
