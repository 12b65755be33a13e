"""Telling people their alerts: alerts are gathered into deliveries when due (instant: at once; daily: those
recorded before 07:00 Asia/Tokyo; weekly: before Monday 07:00), then each delivery is sent: a mail per person
(grouped by saved search, what closes soonest first, with the changes of followed notices) and a Slack post per
saved search with a webhook. A failed send is retried with back-off as the same delivery, so nothing is told twice."""

import datetime
import logging
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tsunagu.core.notify import site_url
from tsunagu.core.retries import send_failed
from tsunagu.notices.models import Notice

from .criteria import describe
from .matcher import MatchReport, alerts_match
from .models import AlertMatch, Channel, Delivery, FollowAlert, Frequency, SavedSearch
from .services import unsubscribe_token

logger = logging.getLogger(__name__)
TOKYO = ZoneInfo("Asia/Tokyo")
DIGEST_HOUR = 7
STALE_AFTER = datetime.timedelta(days=8)  # alerts that waited longer (e-mail was off) are not mailed any more
FAR_FUTURE = datetime.date(9999, 12, 31)


def due_before(frequency: str, now: datetime.datetime) -> datetime.datetime:
    """Alerts recorded before this moment are due: now (instant), the last 07:00 in Tokyo (daily), or the last
    Monday 07:00 (weekly)."""
    if frequency == Frequency.INSTANT:
        return now
    local = now.astimezone(TOKYO)
    cutoff = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if cutoff > local:
        cutoff -= datetime.timedelta(days=1)
    if frequency == Frequency.WEEKLY:
        cutoff -= datetime.timedelta(days=cutoff.weekday())
    return cutoff


def _assign(queryset, field_name: str, delivery: Delivery) -> int:
    return queryset.filter(**{f"{field_name}__isnull": True}).update(**{field_name: delivery})


@transaction.atomic
def deliveries_gather(*, now: datetime.datetime | None = None) -> int:
    """Put every due, undelivered alert into a delivery (one mail per person and frequency, one Slack post per
    saved search). Alerts are claimed by a conditional update, so two runs at once never share one."""
    now = now or timezone.now()
    created = 0
    for frequency in Frequency.values:
        due = AlertMatch.objects.filter(saved_search__frequency=frequency, saved_search__paused=False,
                                        matched_at__lt=due_before(frequency, now), matched_at__gte=now - STALE_AFTER)
        mail = due.filter(email_delivery__isnull=True, saved_search__email_on=True, saved_search__user__is_active=True)
        users = set(mail.exclude(saved_search__user__email="").values_list("saved_search__user_id", flat=True))
        follow_alerts = FollowAlert.objects.none()
        if frequency == Frequency.INSTANT:  # changes of followed notices are told at once
            follow_alerts = FollowAlert.objects.filter(delivery__isnull=True, follow__email_on=True, follow__user__is_active=True,
                                                       created_at__gte=now - STALE_AFTER).exclude(follow__user__email="")
            users |= set(follow_alerts.values_list("follow__user_id", flat=True))
        for user_id in sorted(users):
            delivery = Delivery.objects.create(user_id=user_id, channel=Channel.EMAIL, frequency=frequency, deliver_after=now)
            carried = _assign(mail.filter(saved_search__user_id=user_id), "email_delivery", delivery)
            carried += _assign(follow_alerts.filter(follow__user_id=user_id), "delivery", delivery)
            if carried:
                created += 1
            else:
                delivery.delete()  # another run claimed them first
        slack = due.filter(slack_delivery__isnull=True).exclude(saved_search__slack_webhook_url="")
        for search_id, user_id in set(slack.values_list("saved_search_id", "saved_search__user_id")):
            delivery = Delivery.objects.create(user_id=user_id, channel=Channel.SLACK, saved_search_id=search_id,
                                               frequency=frequency, deliver_after=now)
            if _assign(slack.filter(saved_search_id=search_id), "slack_delivery", delivery):
                created += 1
            else:
                delivery.delete()
    return created


@dataclass
class Group:
    saved_search: SavedSearch
    notices: list[Notice] = field(default_factory=list)

    @cached_property  # read twice per mail (text and HTML); describing builds a search form
    def description(self) -> str:
        return describe(self.saved_search.query_string)

    @property
    def soonest(self) -> datetime.date:
        return min((n.last_deadline or FAR_FUTURE for n in self.notices), default=FAR_FUTURE)


def _closes_first(notice: Notice) -> tuple:
    return (notice.last_deadline or FAR_FUTURE, notice.pk)


def digest_groups(matches) -> list[Group]:
    """Matches grouped by saved search; notices closing soonest first, and the group with the soonest first."""
    groups: dict[int, Group] = {}
    for match in matches:
        groups.setdefault(match.saved_search_id, Group(match.saved_search)).notices.append(match.notice)
    for group in groups.values():
        group.notices.sort(key=_closes_first)
    return sorted(groups.values(), key=lambda g: (g.soonest, g.saved_search.name, g.saved_search.pk))


def _matches(delivery: Delivery):
    related = "matches" if delivery.channel == Channel.EMAIL else "slack_matches"
    return (getattr(delivery, related).select_related("saved_search", "notice__municipality__prefecture")
            .order_by("pk"))


def delivery_content(delivery: Delivery) -> dict:
    """What a delivery carries, for the mail templates and the Slack text."""
    base = site_url()
    follow_alerts = list(delivery.follow_alerts.select_related("follow__notice__municipality__prefecture").order_by("pk"))
    return {
        "delivery": delivery, "groups": digest_groups(_matches(delivery)), "follow_alerts": follow_alerts,
        "site_url": base, "alerts_url": base + reverse("alerts:index"),
        "unsubscribe_url": base + reverse("alerts:unsubscribe", args=[unsubscribe_token(delivery)]),
    }


def _subject(content: dict) -> str:
    count = sum(len(g.notices) for g in content["groups"])
    changes = len(content["follow_alerts"])
    if count and changes:
        return _("【つなぐ】新しい公募 %(n)s件、フォロー中の公募の変更 %(c)s件") % {"n": count, "c": changes}
    if changes:
        return _("【つなぐ】フォロー中の公募の変更 %(c)s件") % {"c": changes}
    if len(content["groups"]) == 1:
        return _("【つなぐ】「%(name)s」に新しい公募 %(n)s件") % {"name": content["groups"][0].saved_search.name, "n": count}
    return _("【つなぐ】保存した検索に新しい公募 %(n)s件") % {"n": count}


def _send_email(delivery: Delivery) -> None:
    content = delivery_content(delivery)
    if not content["groups"] and not content["follow_alerts"]:
        return  # its saved searches were deleted meanwhile: nothing left to tell
    sender = getattr(settings, "DEFAULT_FROM_EMAIL", "tsunagu@localhost")
    message = EmailMultiAlternatives(
        _subject(content), render_to_string("alerts/email/digest.txt", content), sender, [delivery.user.email],
        headers={"List-Unsubscribe": f"<{content['unsubscribe_url']}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
    message.attach_alternative(render_to_string("alerts/email/digest.html", content), "text/html")
    message.send(fail_silently=False)


def slack_text(delivery: Delivery) -> str:
    content = delivery_content(delivery)
    lines = []
    for group in content["groups"]:
        lines.append(_("*%(name)s*：新しい公募 %(n)s件") % {"name": group.saved_search.name, "n": len(group.notices)})
        for notice in group.notices:
            deadline = notice.last_deadline.isoformat() if notice.last_deadline else _("締切なし")
            url = content["site_url"] + notice.get_absolute_url()
            lines.append(f"• <{url}|{notice.title}>（{notice.municipality.full_name}／{_('締切')} {deadline}）")
    return "\n".join(lines)


def _send_slack(delivery: Delivery) -> None:
    from slack_sdk.webhook import WebhookClient

    text = slack_text(delivery)
    if not text:
        return
    response = WebhookClient(delivery.saved_search.slack_webhook_url, timeout=10).send(text=text)
    if response.status_code != 200:
        raise RuntimeError(f"Slack answered {response.status_code}: {response.body[:200]}")



def deliveries_send(*, now: datetime.datetime | None = None) -> int:
    """Send every due delivery once; returns how many went out. One failing never stops the others."""
    now = now or timezone.now()
    sent = 0
    due = list(Delivery.objects.filter(status=Delivery.Status.PENDING, deliver_after__lte=now).order_by("pk")
               .values_list("pk", flat=True))
    for pk in due:
        try:
            sent += _send_one(pk, now)
        except Exception:
            logger.exception("alert delivery %s failed unexpectedly", pk)
    return sent


def _send_one(pk: int, now: datetime.datetime) -> int:
    with transaction.atomic():
        rows = Delivery.objects.filter(pk=pk, status=Delivery.Status.PENDING).select_related("user", "saved_search")
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))  # two workers never send one delivery
        delivery = rows.first()
        if delivery is None:
            return 0
        try:
            with translation.override(settings.LANGUAGE_CODE):
                (_send_email if delivery.channel == Channel.EMAIL else _send_slack)(delivery)
        except Exception as exc:  # noqa: BLE001 (any channel error is recorded and retried)
            send_failed(delivery, exc, now)  # retried with back-off; the alerts stay listed on /alerts/
            return 0
        delivery.status, delivery.sent_at, delivery.attempts = Delivery.Status.SENT, now, delivery.attempts + 1
        delivery.save(update_fields=["status", "sent_at", "attempts"])
        return 1


def alerts_run(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """The queue's round: match what was written, gather what is due, send it."""
    try:
        report = alerts_match()
    except Exception:  # the changes stay recorded for the next round; what is already due still goes out
        logger.exception("alert matching failed; retried at the next round")
        report = MatchReport()
    gathered = deliveries_gather(now=now)
    return {"notices": report.notices, "matches": report.matches, "follow_alerts": report.follow_alerts,
            "deliveries": gathered, "sent": deliveries_send(now=now)}

