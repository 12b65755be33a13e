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
from .models import (ATTACHMENT_MAX_BYTES, ATTACHMENT_TYPES, Acknowledgement, Attachment, Charter, Delivery, Kind, Message,
                     TeamPost)
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
def charter_update(*, project: Project, by, text: str, slack_webhook_url: str = "") -> Charter:
    from tsunagu.workshare.services import is_coordinator_of

    from .services import webhook_check

    if not is_coordinator_of(by, project):
        raise DomainError(_("連絡のルールを直せるのはコーディネーターだけです。"))
    charter = charter_of(project)
    charter.text = text.strip()
    charter.slack_webhook_url = webhook_check(slack_webhook_url) if slack_webhook_url.strip() else ""
    charter.save()
    return charter


@transaction.atomic
def message_post(*, project: Project, by, body: str, intent: str = Message.Intent.FYI, reply_by: datetime.date | None = None,
                 element: WorkElement | None = None, recipient: User | None = None, files=(),
                 today: datetime.date | None = None) -> Message:
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
    if recipient is not None and (recipient.pk not in members or recipient.pk == by.pk):
        raise DomainError(_("直接メッセージは、同じプロジェクトのほかの人に送れます。"), field="recipient")
    checked = [_checked_file(f) for f in files]
    message = Message.objects.create(project=project, element=element, author=by, body=body, intent=intent, reply_by=reply_by,
                                     recipient=recipient)
    for upload, name, content_type in checked:
        Attachment.objects.create(message=message, file=upload, name=name, size=upload.size, content_type=content_type)
    mentioned = [members[u.pk] for u in User.objects.filter(username__in=MENTION.findall(body)) if u.pk in members]
    message.mentions.set(mentioned)
    readers = [recipient] if recipient else [u for u in members.values() if u.pk != by.pk]
    told = readers if intent == Message.Intent.URGENT or not mentioned else [u for u in mentioned if u.pk != by.pk]
    if recipient:
        url = reverse("comms:direct", args=[project.pk, by.pk])
    elif element:
        url = reverse("comms:element_thread", args=[element.pk])
    else:
        url = reverse("comms:project_thread", args=[project.pk])
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
    charter = Charter.objects.filter(project=project).first()
    if recipient is None and charter and charter.slack_webhook_url:  # the team's channel hears the team thread
        TeamPost.objects.create(project=project, deliver_after=timezone.now(),
                                text=f"{'【至急】' if intent == Message.Intent.URGENT else ''}{by}（{where}）: {body[:1000]}")
        transaction.on_commit(_send_posts_soon)
    return message


def _send_posts_soon() -> None:
    from .tasks import deliveries_send_task

    deliveries_send_task()


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
    if not can_read(by, message):
        raise DomainError(_("このメッセージのスレッドに入っていません。"))
    acknowledgement, _created = Acknowledgement.objects.get_or_create(message=message, user=by)
    return acknowledgement


def urgent_log(project: Project):
    """Every urgent message of the project, for the coordinator: so it stays rare."""
    return Message.objects.filter(project=project, intent=Message.Intent.URGENT).select_related("author", "element")




def _checked_file(upload) -> tuple:
    """Only small files of the usual office kinds; the name is kept for display, never used as a path."""
    name = (upload.name or "file").replace("/", "_").replace("\\", "_")[-200:]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ATTACHMENT_TYPES:
        raise DomainError(_("添付できるのは PDF・画像（PNG/JPEG）・CSV・テキスト・Excel・Word です（%(name)s）。") % {"name": name},
                          field="files")
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise DomainError(_("添付ファイルは10MBまでです（%(name)s）。") % {"name": name}, field="files")
    return upload, name, ATTACHMENT_TYPES[suffix]


def can_read(user, message: Message) -> bool:
    """A direct message: its two people. Otherwise: everyone on the project's threads."""
    if message.recipient_id:
        return user.pk in {message.author_id, message.recipient_id}
    return user.pk in {u.pk for u in thread_members(message.project)}


def thread_messages(project: Project, reader, *, element: WorkElement | None = None, other: User | None = None):
    """A thread's messages in order: the project's or an element's (never direct ones), or the reader's direct
    messages with `other`."""
    from django.db.models import Q

    if other is not None:
        messages = Message.objects.filter(project=project).filter(Q(author=reader, recipient=other) | Q(author=other, recipient=reader))
    else:
        messages = Message.objects.filter(project=project, element=element, recipient__isnull=True)
    return messages.select_related("author", "author__profile").prefetch_related("acknowledgements__user", "attachments")
