"""Telling people things within their hours. `notification_create` records; `deliveries_send` (the queue, every
minute) sends what is due, one message per person and channel (a digest when several are waiting), with retries and
back-off; a failing channel never holds up another."""

import datetime
import logging
import urllib.parse

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import AvailabilityWindow
from tsunagu.core.retries import send_failed
from tsunagu.core.errors import DomainError

from .hours import Hours
from .models import Channel, Delivery, Kind, Notification, Preference

logger = logging.getLogger(__name__)


def hours_of(user) -> Hours:
    preference = Preference.objects.filter(user=user).first()
    digest = []
    for text in (preference.digest_times if preference else []):
        hour, _sep, minute = str(text).partition(":")
        digest.append(datetime.time(int(hour), int(minute or 0)))
    windows = tuple((w.weekday, w.starts_at, w.ends_at) for w in AvailabilityWindow.objects.filter(user=user))
    return Hours(windows=windows, digest_times=tuple(sorted(digest)))


def _channels(user, preference: Preference | None) -> list[str]:
    channels = []
    if user.email and (preference is None or preference.email_on):
        channels.append(Channel.EMAIL)
    if preference and preference.slack_on and preference.slack_webhook_url:
        channels.append(Channel.SLACK)
    return channels


@transaction.atomic
def notification_create(*, recipients, subject: str, body: str = "", kind: str = Kind.GENERAL, url: str = "",
                        urgent: bool = False, now: datetime.datetime | None = None) -> list[Notification]:
    """One in-app notification per person, and a delivery per channel they enabled, due within their hours (urgent:
    now, quiet hours or not, whatever kinds they turned off)."""
    now = now or timezone.now()
    people = {r.pk: r for r in recipients if r is not None and r.is_active}
    created, due_now = [], False
    for person in people.values():
        preference = Preference.objects.filter(user=person).first()
        notification = Notification.objects.create(user=person, kind=kind, subject=subject[:300], body=body, url=url,
                                                   urgent=urgent)
        created.append(notification)
        if not urgent and preference and kind in (preference.kinds_off or []):
            continue
        due = hours_of(person).next_delivery(now, urgent=urgent)
        channels = _channels(person, preference)
        Delivery.objects.bulk_create([Delivery(notification=notification, channel=c, deliver_after=due) for c in channels])
        due_now = due_now or (bool(channels) and due <= now)
    if due_now:  # someone may be told now: don't wait for the minute's round
        transaction.on_commit(_send_soon)
    return created


def _send_soon() -> None:
    from .tasks import deliveries_send_task

    deliveries_send_task()


def _send_email(user, notifications: list[Notification]) -> None:
    if len(notifications) == 1:
        subject, body = notifications[0].subject, _body(notifications[0])
    else:
        subject = _("つなぐ：%(n)s件のお知らせ") % {"n": len(notifications)}
        body = "\n\n".join(f"■ {n.subject}\n{_body(n)}" for n in notifications)
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", "tsunagu@localhost")
    send_mail(subject, body, sender, [user.email], fail_silently=False)


def _body(notification: Notification) -> str:
    link = f"\n{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url and settings.SITE_URL else ""
    return f"{notification.body}{link}".strip()


def _send_slack(preference: Preference, notifications: list[Notification]) -> None:
    text = "\n".join(f"{'【至急】' if n.urgent else '・'}{n.subject}\n{_body(n)}" for n in notifications)
    _slack_post(preference.slack_webhook_url, text)


def _slack_post(url: str, text: str) -> None:
    from slack_sdk.webhook import WebhookClient

    response = WebhookClient(url, timeout=10).send(text=text)
    if response.status_code != 200:
        raise RuntimeError(f"Slack answered {response.status_code}: {response.body[:200]}")



def deliveries_send(*, now: datetime.datetime | None = None) -> int:
    """Send every due delivery: per person and channel one message; retries with back-off; returns how many sent."""
    now = now or timezone.now()
    due = (Delivery.objects.filter(status=Delivery.Status.PENDING, deliver_after__lte=now)
           .values_list("notification__user_id", "channel").distinct())
    sent = _send_team_posts(now)
    for user_id, channel in list(due):
        try:
            sent += _send_group(user_id, channel, now)
        except Exception:  # one person's channel failing never stops the others
            logger.exception("delivery to user %s by %s failed unexpectedly", user_id, channel)
    return sent


def _send_group(user_id: int, channel: str, now: datetime.datetime) -> int:
    with transaction.atomic():
        rows = Delivery.objects.filter(status=Delivery.Status.PENDING, deliver_after__lte=now, channel=channel,
                                       notification__user_id=user_id).select_related("notification__user")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)  # two workers never send the same delivery
        deliveries = list(rows.order_by("notification__created_at", "pk"))
        if not deliveries:
            return 0
        user = deliveries[0].notification.user
        notifications = [d.notification for d in deliveries]
        try:
            if channel == Channel.EMAIL:
                _send_email(user, notifications)
            else:
                _send_slack(Preference.objects.get(user=user), notifications)
        except Exception as exc:  # noqa: BLE001 (any channel error is recorded and retried)
            for delivery in deliveries:
                send_failed(delivery, exc, now)
            return 0
        Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(status=Delivery.Status.SENT, sent_at=now,
                                                                         attempts=F("attempts") + 1)
        return len(deliveries)


def webhook_check(url: str) -> str:
    """A Slack webhook may only point at an allowed https host (Slack's by default), never inside our network."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme != "https" or (parts.hostname or "") not in settings.SLACK_WEBHOOK_HOSTS:
        raise DomainError(_("Slack の Incoming Webhook の URL（https://hooks.slack.com/…）を入れてください。"),
                          field="slack_webhook_url")
    return url.strip()


@transaction.atomic
def preference_update(*, user, email_on: bool, slack_on: bool, slack_webhook_url: str, digest_times: list[str],
                      kinds_off: list[str]) -> Preference:
    if slack_webhook_url:
        slack_webhook_url = webhook_check(slack_webhook_url)
    if slack_on and not slack_webhook_url:
        raise DomainError(_("Slack で受け取るには Webhook の URL が要ります。"), field="slack_webhook_url")
    for text in digest_times:
        hour, sep, minute = text.partition(":")
        if not (sep and hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
            raise DomainError(_("「%(t)s」は時刻として読めません（例：9:30）。") % {"t": text}, field="digest_times")
    preference, _created = Preference.objects.update_or_create(user=user, defaults={
        "email_on": email_on, "slack_on": slack_on, "slack_webhook_url": slack_webhook_url,
        "digest_times": sorted(f"{int(t.split(':')[0]):02d}:{int(t.split(':')[1]):02d}" for t in digest_times),
        "kinds_off": [k for k in kinds_off if k in Kind.values]})
    return preference


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def _send_team_posts(now: datetime.datetime) -> int:
    """Team threads to their Slack channels, oldest first; each post retried with back-off and recorded."""
    from .models import Charter, TeamPost

    sent = 0
    for post_id in TeamPost.objects.filter(status=Delivery.Status.PENDING, deliver_after__lte=now).order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            post = TeamPost.objects.filter(pk=post_id, status=Delivery.Status.PENDING).first()
            charter = Charter.objects.filter(project_id=post.project_id).first() if post else None
            if post is None:
                continue
            try:
                if not (charter and charter.slack_webhook_url):
                    raise RuntimeError("the team has no Slack webhook any more")
                _slack_post(charter.slack_webhook_url, post.text)
            except Exception as exc:  # noqa: BLE001 (recorded and retried)
                send_failed(post, exc, now)
                continue
            post.status, post.sent_at, post.attempts = Delivery.Status.SENT, now, post.attempts + 1
            post.save()
            sent += 1
    return sent
