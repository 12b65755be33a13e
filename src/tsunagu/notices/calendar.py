"""A notice's deadlines as an iCalendar file, for "add to calendar"."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

from .models import Notice

TOKYO = ZoneInfo("Asia/Tokyo")


def notice_deadlines(notice: Notice) -> list[tuple[str, datetime.date, datetime.time | None]]:
    """The notice's dates in order: (label, date, time of day or None)."""
    dates = [
        ("公告日", notice.published_on, None),
        ("質問締切", notice.enquiry_deadline, notice.enquiry_deadline_time),
        ("参加申込締切", notice.application_deadline, notice.application_deadline_time),
        ("提出期限", notice.submission_deadline, notice.submission_deadline_time),
    ]
    return sorted(((label, day, time) for label, day, time in dates if day), key=lambda d: (d[1], d[2] or datetime.time.max))


def add_notice_deadlines(calendar: Calendar, notice: Notice, *, url: str, stamp: datetime.datetime | None = None) -> None:
    """One event per deadline of the notice (not its publication): this file's download and the followers' feed."""
    stamp = stamp or datetime.datetime.now(tz=TOKYO)
    for label, day, time in notice_deadlines(notice)[1:]:
        event = Event()
        event.add("uid", f"notice-{notice.pk}-{label}@tsunagu")
        event.add("summary", f"【{label}】{notice.title}")
        event.add("description", f"{notice.municipality.full_name} {notice.department}\n{url}")
        event.add("url", url)
        event.add("dtstamp", stamp)
        if time:
            start = datetime.datetime.combine(day, time, tzinfo=TOKYO)
            event.add("dtstart", start)
            event.add("dtend", start + datetime.timedelta(minutes=30))
        else:
            event.add("dtstart", day)
            event.add("dtend", day + datetime.timedelta(days=1))
        calendar.add_component(event)


def notice_calendar(notice: Notice, *, url: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Tsunagu//notices//JA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    add_notice_deadlines(calendar, notice, url=url)
    return calendar.to_ical()
