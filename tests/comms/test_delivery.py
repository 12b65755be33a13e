"""Delivery within each person's hours: nothing non-urgent in quiet hours, one digest when they start, urgent at
once by every channel, each notification sent exactly once per channel, failures retried without holding others."""

import datetime
import random

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory
from tsunagu.accounts.models import AvailabilityWindow
from tsunagu.comms.hours import TOKYO
from tsunagu.comms.models import Delivery, Notification, Preference
from tsunagu.comms.services import deliveries_send, notification_create, preference_update
from tsunagu.core.errors import DomainError

pytestmark = pytest.mark.django_db
FRIDAY_8PM = datetime.datetime(2026, 6, 5, 20, 0, tzinfo=TOKYO)
MONDAY_0930 = datetime.datetime(2026, 6, 8, 9, 30, tzinfo=TOKYO)


def _parent(slack_url: str = ""):
    person = UserFactory(username="misaki", email="misaki@example.jp")
    for day in range(5):
        AvailabilityWindow.objects.create(user=person, weekday=day, starts_at=datetime.time(9, 30), ends_at=datetime.time(14))
    Preference.objects.create(user=person, digest_times=["09:30"], slack_on=bool(slack_url), slack_webhook_url=slack_url)
    return person


def test_nothing_non_urgent_arrives_at_8pm_and_it_all_comes_in_the_next_digest(smtp_server):
    person = _parent()
    for subject in ("新しい作業要素", "確認の結果"):
        notification_create(recipients=[person], subject=subject, body="", now=FRIDAY_8PM)
    assert deliveries_send(now=FRIDAY_8PM) == 0
    assert deliveries_send(now=FRIDAY_8PM + datetime.timedelta(hours=12)) == 0  # Saturday morning: still her weekend
    assert deliveries_send(now=MONDAY_0930) == 2
    assert len(smtp_server) == 1 and smtp_server[0]["to"] == ["misaki@example.jp"]  # one digest by real SMTP
    assert "2" in smtp_server[0]["data"] and deliveries_send(now=MONDAY_0930 + datetime.timedelta(minutes=5)) == 0


def test_an_urgent_message_reaches_her_at_once_by_mail_and_slack(smtp_server, slack_server):
    person = _parent(slack_server["url"])
    notification_create(recipients=[person], subject="至急：締切が今日です", body="090-1234-5678 に電話をください",
                        urgent=True, now=FRIDAY_8PM)
    assert deliveries_send(now=FRIDAY_8PM) == 2
    assert len(smtp_server) == 1 and "090-1234-5678" in slack_server["received"][0]["text"]


def test_a_failing_channel_is_retried_with_back_off_and_never_holds_up_the_other(smtp_server, slack_server):
    person = _parent(slack_server["url"])
    slack_server["failing"]["count"] = 1
    notification_create(recipients=[person], subject="至急", urgent=True, now=FRIDAY_8PM)
    assert deliveries_send(now=FRIDAY_8PM) == 1  # the mail went; Slack failed
    slack = Delivery.objects.get(channel="slack")
    assert (slack.status, slack.attempts) == ("pending", 1) and "500" in slack.last_error
    assert slack.deliver_after == FRIDAY_8PM + datetime.timedelta(minutes=2)
    assert deliveries_send(now=FRIDAY_8PM + datetime.timedelta(minutes=3)) == 1
    assert len(slack_server["received"]) == 1 and len(smtp_server) == 1


def test_every_notification_is_delivered_exactly_once_per_channel_even_when_sends_fail_and_workers_restart(monkeypatch):
    rng = random.Random(7)
    people = [_parent()] + [UserFactory(email=f"p{i}@example.jp") for i in range(3)]
    now = FRIDAY_8PM
    from tsunagu.comms import services

    real = services._send_email
    def flaky(user, notifications):  # a worker dying mid-round: the send fails, the round's rows roll back
        if rng.random() < 0.3:
            raise ConnectionError("worker restarted")
        real(user, notifications)

    monkeypatch.setattr(services, "_send_email", flaky)
    for _step in range(60):
        if rng.random() < 0.5:
            notification_create(recipients=rng.sample(people, rng.randint(1, 3)), subject="お知らせ",
                                urgent=rng.random() < 0.2, now=now)
        deliveries_send(now=now)
        now += datetime.timedelta(minutes=rng.choice([1, 7, 60, 600]))
    monkeypatch.setattr(services, "_send_email", real)
    for _ in range(20):  # let every back-off run out
        now += datetime.timedelta(hours=6)
        deliveries_send(now=now)
    deliveries = Delivery.objects.all()
    assert deliveries.count() == Notification.objects.exclude(user__email="").count()
    assert set(deliveries.values_list("status", flat=True)) <= {"sent", "failed"}
    assert not deliveries.filter(status="failed").exclude(attempts=5).exists()
    # no duplicates: every mail's notifications are a disjoint set; counting subjects per recipient matches the rows
    mailed = sum(1 if not m.subject.startswith("つなぐ：") else int(m.subject.split("：")[1].split("件")[0]) for m in mail.outbox)
    assert mailed == deliveries.filter(status="sent").count()


def test_a_webhook_must_be_https_on_an_allowed_host():
    person = UserFactory()
    for url in ("http://hooks.slack.com/services/x", "https://169.254.169.254/latest", "https://evil.example/hook"):
        with pytest.raises(DomainError) as refused:
            preference_update(user=person, email_on=True, slack_on=True, slack_webhook_url=url, digest_times=[], kinds_off=[])
        assert refused.value.field == "slack_webhook_url"
    preference_update(user=person, email_on=True, slack_on=True, slack_webhook_url="https://hooks.slack.com/services/T/B/x",
                      digest_times=["9:30"], kinds_off=["meeting"])
    assert Preference.objects.get(user=person).digest_times == ["09:30"]


def test_a_kind_turned_off_stays_in_the_list_but_is_not_sent_unless_urgent():
    person = UserFactory(email="a@example.jp")
    Preference.objects.create(user=person, kinds_off=["meeting"])
    notification_create(recipients=[person], subject="相談会のお知らせ", kind="meeting")
    notification_create(recipients=[person], subject="至急の相談会", kind="meeting", urgent=True)
    assert Notification.objects.filter(user=person).count() == 2
    assert list(Delivery.objects.values_list("notification__subject", flat=True)) == ["至急の相談会"]


@pytest.mark.parametrize("role", ["worker", "anonymous"])
def test_the_notification_list_is_ones_own(client, role):
    owner_of_list, other = UserFactory(), UserFactory()
    notification_create(recipients=[other], subject="ほかの人あて")
    notification_create(recipients=[owner_of_list], subject="自分あて")
    if role == "worker":
        client.force_login(owner_of_list)
    response = client.get(reverse("comms:notifications"))
    if role == "anonymous":
        assert response.status_code == 302
        return
    page = response.content.decode()
    assert "自分あて" in page and "ほかの人あて" not in page
    client.post(reverse("comms:notifications_read"))
    assert not Notification.objects.filter(user=owner_of_list, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).exists()
