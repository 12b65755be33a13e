"""The communication rules, end to end (issue 5): a worker whose hours are 9:30–14:00 gets nothing non-urgent at
20:00 and finds it in her next digest; an urgent message reaches her at once by mail and Slack with the sender's
phone number; an FYI is acknowledged with one click; a meeting series with a skipped date comes out of the .ics."""

import datetime
import email
import email.policy

import pytest
from django.urls import reverse
from icalendar import Calendar

from tsunagu.accounts.models import AvailabilityWindow, Profile
from tsunagu.comms.hours import TOKYO
from tsunagu.comms.models import Acknowledgement, Message, Preference
from tsunagu.comms.services import deliveries_send

pytestmark = pytest.mark.django_db


def test_the_teams_rules_hold_from_an_evening_message_to_the_next_meeting(client, cast, time_machine, smtp_server,
                                                                         slack_server, django_capture_on_commit_callbacks):
    for day in range(5):
        AvailabilityWindow.objects.create(user=cast.worker, weekday=day, starts_at=datetime.time(9, 30), ends_at=datetime.time(14))
    Preference.objects.create(user=cast.worker, digest_times=["09:30"], slack_on=True, slack_webhook_url=slack_server["url"])
    Profile.objects.create(user=cast.coordinator, phone="090-1234-5678")
    evening = datetime.datetime(2026, 6, 3, 20, 0, tzinfo=TOKYO)  # a Wednesday
    time_machine.move_to(evening)

    # 20:00 — a non-urgent message: nothing reaches her tonight.
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comms:project_thread", args=[cast.project.pk]),
                    {"body": "@worker 明日、千代田区の一覧を見てもらえますか", "intent": "fyi"})
    deliveries_send(now=evening)
    assert not any("worker@example.jp" in m["to"] for m in smtp_server)

    # 20:05 — urgent: at once by mail and Slack, with the phone number.
    time_machine.move_to(evening + datetime.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comms:project_thread", args=[cast.project.pk]),
                    {"body": "締切が明日の朝に早まりました。電話します。", "intent": "urgent"})
    mails_to_her = [m for m in smtp_server if "worker@example.jp" in m["to"]]
    body = email.message_from_string(mails_to_her[0]["data"], policy=email.policy.default).get_body().get_content()
    assert len(mails_to_her) == 1 and "090-1234-5678" in body
    assert any("090-1234-5678" in r["text"] for r in slack_server["received"])
    client.force_login(cast.worker)
    assert "tel:090-1234-5678" in client.get(reverse("comms:project_thread", args=[cast.project.pk])).content.decode()

    # Thursday 9:30 — the evening's FYI arrives in her digest; she acknowledges it with one click.
    morning = datetime.datetime(2026, 6, 4, 9, 30, tzinfo=TOKYO)
    time_machine.move_to(morning)
    deliveries_send(now=morning)
    assert len([m for m in smtp_server if "worker@example.jp" in m["to"]]) == 2
    fyi = Message.objects.get(intent="fyi")
    client.post(reverse("comms:acknowledge", args=[fyi.pk]))
    assert Acknowledgement.objects.filter(message=fyi, user=cast.worker).exists()

    # The consultation meeting: every other Wednesday, one skipped, read back by a standard parser.
    client.force_login(cast.coordinator)
    client.post(reverse("comms:meetings"), {"organisation": cast.npo.pk, "title": "お悩み相談会", "weekday": "2",
                                            "interval_weeks": "2", "starts_on": "2026-06-10", "until": "2026-07-31",
                                            "start_time": "10:00", "end_time": "10:45", "video_url": "https://meet.example/x"})
    series = cast.npo.meeting_series.get()
    client.post(reverse("comms:meeting", args=[series.pk]), {"on": "2026-06-24", "action": "skip"})
    event = Calendar.from_ical(client.get(reverse("comms:meeting_ics", args=[series.pk])).content).walk("VEVENT")[0]
    from dateutil.rrule import rrulestr

    start = event.decoded("dtstart")
    skipped = {d.dt for d in event["EXDATE"].dts}
    dates = [d.date() for d in rrulestr(event["RRULE"].to_ical().decode(), dtstart=start) if d not in skipped]
    assert dates == [datetime.date(2026, 6, 10), datetime.date(2026, 7, 8), datetime.date(2026, 7, 22)]
