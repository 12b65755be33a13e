"""Consultation meetings: a recurring series with skipped dates that a standard iCalendar parser reads back,
optional attendance, an anonymous worries box, shared notes; a private calendar feed with a revocable token."""

import datetime

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.conftest import ROLES
from tsunagu.comms.meetings import maybe_toggle, occurrences, series_calendar, series_create, series_skip, worry_post
from tsunagu.comms.models import Worry
from tsunagu.core.errors import DomainError
from tsunagu.workshare import services

T = datetime.time
WED = datetime.date(2026, 6, 3)


def _series(cast, **kwargs):
    return series_create(organisation=cast.npo, by=cast.coordinator, weekday=2, interval_weeks=2, starts_on=WED,
                         start_time=T(10), end_time=T(10, 45), video_url="https://meet.example/abc", **kwargs)


def test_every_other_wednesday_with_a_skipped_date_reads_back_from_the_ics(cast):
    series = _series(cast, until=datetime.date(2026, 8, 31))
    series_skip(series=series, by=cast.coordinator, on=datetime.date(2026, 7, 1))
    dates = occurrences(series, start=WED, end=datetime.date(2026, 8, 31))
    assert dates == [datetime.date(2026, 6, 3), datetime.date(2026, 6, 17), datetime.date(2026, 7, 15),
                     datetime.date(2026, 7, 29), datetime.date(2026, 8, 12), datetime.date(2026, 8, 26)]
    event = Calendar.from_ical(series_calendar(series)).walk("VEVENT")[0]
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["INTERVAL"] == [2]
    assert [d.dt.date() for d in event["EXDATE"].dts] == [datetime.date(2026, 7, 1)]
    assert event.decoded("dtstart") == datetime.datetime(2026, 6, 3, 10, 0, tzinfo=event.decoded("dtstart").tzinfo)
    from dateutil.rrule import rrulestr

    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=event.decoded("dtstart"))
    parsed = [d.date() for d in rule if d.date().isoformat() != "2026-07-01"]
    assert parsed == dates


def test_a_series_is_checked_and_only_coordinators_make_one(cast):
    with pytest.raises(DomainError, match="曜日ではありません"):
        series_create(organisation=cast.npo, by=cast.coordinator, weekday=0, interval_weeks=2, starts_on=WED,
                      start_time=T(10), end_time=T(11))
    with pytest.raises(DomainError, match="終わりが始まりより前"):
        series_create(organisation=cast.npo, by=cast.coordinator, weekday=2, interval_weeks=2, starts_on=WED,
                      start_time=T(11), end_time=T(10))
    with pytest.raises(DomainError, match="コーディネーター"):
        _series(type("C", (), {"npo": cast.npo, "coordinator": cast.worker})())


def test_the_worries_box_keeps_no_name_and_maybe_is_optional(cast):
    series = _series(cast)
    worry = worry_post(series=series, on=WED, text="子どもの熱で締切が不安です")
    assert not [f.name for f in Worry._meta.get_fields() if f.name in ("user", "author", "created_by")]
    assert worry.text.startswith("子ども")
    assert maybe_toggle(series=series, by=cast.worker, on=WED) is True
    assert maybe_toggle(series=series, by=cast.worker, on=WED) is False
    with pytest.raises(DomainError, match="相談会の日ではありません"):
        worry_post(series=series, on=WED + datetime.timedelta(days=7), text="x")


@pytest.mark.parametrize("role", ROLES)
def test_the_meeting_page_is_for_the_organisations_people(client, cast, role):
    series = _series(cast)
    user = cast.user(role)
    if user:
        client.force_login(user)
    response = client.get(reverse("comms:meeting", args=[series.pk]))
    expected = {"anonymous": 302, "owner": 404}.get(role, 200)  # the owner is not a member of the NPO
    assert response.status_code == expected


def test_the_private_feed_has_meetings_my_due_dates_and_my_reviews_and_a_new_token_revokes_the_old(client, cast):
    _series(cast)
    element = cast.element(title="千代田区の公募を集める")
    services.element_assign(element=element, by=cast.coordinator, primary=cast.worker, backup=cast.second)
    client.force_login(cast.worker)
    page = client.get(reverse("comms:calendar")).content.decode()
    feed = page.split('value="http://testserver')[1].split('"')[0]
    client.logout()
    calendar = Calendar.from_ical(client.get(feed).content)
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert "お悩み相談会" in summaries and "期限（担当）：千代田区の公募を集める" in summaries
    client.force_login(cast.worker)
    client.post(reverse("comms:calendar"))
    client.logout()
    assert client.get(feed).status_code == 404
    services.element_submit(element=element, by=cast.worker, checklist_done=element.checklist)
    client.force_login(cast.owner)
    owner_feed = client.get(reverse("comms:calendar")).content.decode().split('value="http://testserver')[1].split('"')[0]
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(client.get(owner_feed).content).walk("VEVENT")]
    assert "確認の期限：千代田区の公募を集める" in summaries and "お悩み相談会" not in summaries


def test_the_day_before_a_meeting_everyone_in_the_organisation_is_reminded_once(cast):
    from tsunagu.comms.meetings import meeting_reminders_send
    from tsunagu.comms.models import Notification

    _series(cast)
    assert meeting_reminders_send(today=WED - datetime.timedelta(days=2)) == 0
    assert meeting_reminders_send(today=WED - datetime.timedelta(days=1)) == 1
    assert meeting_reminders_send(today=WED - datetime.timedelta(days=1)) == 0  # once
    reminded = set(Notification.objects.filter(kind="meeting").values_list("user__username", flat=True))
    assert reminded == {"coord", "worker", "second", "outsider"}  # the NPO's people, not the owner
