"""Messages with response rules: each says what it asks (FYI, a reply by a date, urgent). FYI can be acknowledged
with one press; a reply date brings a gentle reminder on that day, within the reader's hours; urgent reaches everyone
at once by every channel with the sender's phone number, and its use is visible to the coordinator."""

import datetime
import re

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Profile, User
from tsunagu.core.errors import DomainError
from tsunagu.workshare.models import Project, WorkElement

from .hours import TOKYO
from .models import Acknowledgement, Charter, Delivery, Kind, Message
from .services import hours_of, notification_create

MENTION = re.compile(r"@([A-Za-z0-9_.-]{2,30})")
MAX_BODY = 5000


def thread_members(project: Project) -> list[User]:
    """Who reads a project's threads: the owner, the coordinator, the active team."""
    people = {project.owner_id: project.owner, project.coordinator_id: project.coordinator}
    for member in project.team.filter(active=True).select_related("user"):
        people[member.user_id] = member.user
    return list(people.values())


def charter_of(project: Project) -> Charter:
    charter, _created = Charter.objects.get_or_create(project=project)
    return charter


@transaction.atomic
def charter_update(*, project: Project, by, text: str) -> Charter:
    from tsunagu.workshare.services import is_coordinator_of

    if not is_coordinator_of(by, project):
        raise DomainError(_("連絡のルールを直せるのはコーディネーターだけです。"))
    charter = charter_of(project)
    charter.text = text.strip()
    charter.save()
    return charter


@transaction.atomic
def message_post(*, project: Project, by, body: str, intent: str = Message.Intent.FYI, reply_by: datetime.date | None = None,
                 element: WorkElement | None = None, today: datetime.date | None = None) -> Message:
    members = {u.pk: u for u in thread_members(project)}
    if by.pk not in members:
        raise DomainError(_("このプロジェクトのスレッドに書けるのは、発注者・コーディネーター・チームです。"))
    body = body.strip()
    if not body:
        raise DomainError(_("本文を書いてください。"), field="body")
    if len(body) > MAX_BODY:
        raise DomainError(_("本文は%(n)s文字までです。") % {"n": MAX_BODY}, field="body")
    if intent not in Message.Intent.values:
        raise DomainError(_("求めることを選んでください。"), field="intent")
    today = today or timezone.localdate()
    if intent == Message.Intent.REPLY:
        if reply_by is None:
            raise DomainError(_("返事の期日を入れてください。"), field="reply_by")
        if reply_by < today:
            raise DomainError(_("返事の期日が過去の日付です。"), field="reply_by")
    else:
        reply_by = None
    if element is not None and element.project_id != project.pk:
        raise DomainError(_("ほかのプロジェクトの作業要素です。"), field="element")
    message = Message.objects.create(project=project, element=element, author=by, body=body, intent=intent, reply_by=reply_by)
    mentioned = [members[u.pk] for u in User.objects.filter(username__in=MENTION.findall(body)) if u.pk in members]
    message.mentions.set(mentioned)
    readers = [u for u in members.values() if u.pk != by.pk]
    told = readers if intent == Message.Intent.URGENT or not mentioned else [u for u in mentioned if u.pk != by.pk]
    url = reverse("comms:element_thread", args=[element.pk]) if element else reverse("comms:project_thread", args=[project.pk])
    where = element.title if element else project.title
    if intent == Message.Intent.URGENT:
        phone = Profile.objects.filter(user=by).values_list("phone", flat=True).first() or ""
        notification_create(recipients=told, kind=Kind.MESSAGE, urgent=True, url=url,
                            subject=_("至急：%(who)s さんから（%(where)s）") % {"who": by, "where": where},
                            body=body + (_("\n電話：%(phone)s") % {"phone": phone} if phone else ""))
    else:
        notification_create(recipients=told, kind=Kind.MESSAGE, url=url,
                            subject=_("%(who)s さんからのメッセージ（%(where)s）") % {"who": by, "where": where},
                            body=body + (_("\n返事の期日：%(date)s") % {"date": reply_by.isoformat()} if reply_by else ""))
    if reply_by:
        _remind_on(reply_by, told, message, url)
    return message


def _remind_on(day: datetime.date, people: list[User], message: Message, url: str) -> None:
    """On the reply date, a gentle reminder within each reader's hours (shown in the list from that day)."""
    start = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=TOKYO)
    for person in people:
        due = hours_of(person).next_delivery(start)
        for notification in notification_create(recipients=[person], kind=Kind.MESSAGE, url=url, now=due,
                                                subject=_("今日が返事の期日です：%(who)s さんのメッセージ") % {"who": message.author},
                                                body=message.body[:200]):
            notification.show_after = due
            notification.save(update_fields=["show_after"])
            Delivery.objects.filter(notification=notification).update(deliver_after=due)


@transaction.atomic
def message_acknowledge(*, message: Message, by) -> Acknowledgement:
    if by.pk not in {u.pk for u in thread_members(message.project)}:
        raise DomainError(_("このメッセージのスレッドに入っていません。"))
    acknowledgement, _created = Acknowledgement.objects.get_or_create(message=message, user=by)
    return acknowledgement


def urgent_log(project: Project):
    """Every urgent message of the project, for the coordinator: so it stays rare."""
    return Message.objects.filter(project=project, intent=Message.Intent.URGENT).select_related("author", "element")


