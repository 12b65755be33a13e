"""Messages with response rules on the team's threads: FYI acknowledged with one press, a reply date with a reminder
on that day within the reader's hours, urgent at once with the sender's phone, the team's charter on top."""

import datetime

import pytest
from django.urls import reverse

from tests.cast import TODAY
from tests.conftest import ROLES
from tsunagu.accounts.models import AvailabilityWindow, Profile
from tsunagu.comms.hours import TOKYO
from tsunagu.comms.messaging import message_acknowledge, message_post
from tsunagu.comms.models import Acknowledgement, Delivery, Message, Notification
from tsunagu.core.errors import DomainError


def _client(client, cast, role):
    user = cast.user(role)
    if user:
        client.force_login(user)
    return client


def test_an_fyi_is_acknowledged_with_one_press_and_only_the_sender_sees_who(client, cast):
    message = message_post(project=cast.project, by=cast.coordinator, body="来週の相談会は水曜です")
    client.force_login(cast.worker)
    response = client.post(reverse("comms:acknowledge", args=[message.pk]))
    assert response.status_code == 302 and Acknowledgement.objects.filter(message=message, user=cast.worker).exists()
    client.post(reverse("comms:acknowledge", args=[message.pk]))
    assert Acknowledgement.objects.count() == 1  # pressing twice is still one
    worker_page = client.get(reverse("comms:project_thread", args=[cast.project.pk])).content.decode()
    assert "読みました：1人" not in worker_page
    client.force_login(cast.coordinator)
    assert "読みました：1人" in client.get(reverse("comms:project_thread", args=[cast.project.pk])).content.decode()


def test_a_reply_date_brings_a_reminder_on_that_day_within_the_readers_hours(cast):
    for day in range(5):
        AvailabilityWindow.objects.create(user=cast.worker, weekday=day, starts_at=datetime.time(9, 30), ends_at=datetime.time(14))
    reply_by = TODAY + datetime.timedelta(days=3)  # Thursday
    message_post(project=cast.project, by=cast.coordinator, body="@worker 千代田区の出典を確認してください",
                 intent=Message.Intent.REPLY, reply_by=reply_by, today=TODAY)
    reminder = Notification.objects.get(user=cast.worker, subject__startswith="今日が返事の期日です")
    expected = datetime.datetime.combine(reply_by, datetime.time(9, 30), tzinfo=TOKYO)
    assert reminder.show_after == expected
    assert set(Delivery.objects.filter(notification=reminder).values_list("deliver_after", flat=True)) == {expected}
    assert not Notification.objects.filter(user=cast.second).exists()  # the mention chose whom to tell


def test_an_urgent_message_tells_everyone_at_once_with_the_senders_phone(cast):
    Profile.objects.create(user=cast.coordinator, phone="090-1234-5678")
    AvailabilityWindow.objects.create(user=cast.worker, weekday=0, starts_at=datetime.time(9, 30), ends_at=datetime.time(10))
    message_post(project=cast.project, by=cast.coordinator, body="締切が今日に早まりました", intent=Message.Intent.URGENT)
    told = Notification.objects.filter(urgent=True)
    assert {n.user for n in told} == {cast.owner, cast.worker, cast.second}
    assert all("090-1234-5678" in n.body for n in told)
    now = Delivery.objects.get(notification__user=cast.worker)
    assert now.deliver_after <= datetime.datetime.now(datetime.UTC)  # quiet hours or not


@pytest.mark.parametrize("role", ROLES)
def test_the_phone_number_shows_only_on_urgent_messages_to_the_team(client, cast, role):
    Profile.objects.create(user=cast.coordinator, phone="090-1234-5678")
    message_post(project=cast.project, by=cast.coordinator, body="ふつうのお知らせ")
    response = _client(client, cast, role).get(reverse("comms:project_thread", args=[cast.project.pk]))
    if role in ("anonymous", "outsider"):
        assert response.status_code == (302 if role == "anonymous" else 404)
        return
    assert "090-1234-5678" not in response.content.decode()
    message_post(project=cast.project, by=cast.coordinator, body="至急です", intent=Message.Intent.URGENT)
    assert "tel:090-1234-5678" in client.get(reverse("comms:project_thread", args=[cast.project.pk])).content.decode()


def test_urgent_use_is_logged_for_the_coordinator_only(client, cast):
    message_post(project=cast.project, by=cast.worker, body="PCが壊れました", intent=Message.Intent.URGENT)
    client.force_login(cast.coordinator)
    assert "至急の使用記録" in client.get(reverse("comms:project_thread", args=[cast.project.pk])).content.decode()
    client.force_login(cast.second)
    assert "至急の使用記録" not in client.get(reverse("comms:project_thread", args=[cast.project.pk])).content.decode()


@pytest.mark.parametrize(("role", "status"), [("owner", 302), ("coordinator", 302), ("worker", 302), ("outsider", 404),
                                              ("anonymous", 302)])
def test_posting_to_the_team_thread_follows_the_team(client, cast, role, status):
    response = _client(client, cast, role).post(reverse("comms:project_thread", args=[cast.project.pk]),
                                                 {"body": "こんにちは", "intent": "fyi"})
    assert response.status_code == status
    assert Message.objects.exists() == (role in ("owner", "coordinator", "worker"))


def test_a_reply_wanted_without_a_date_is_refused_next_to_the_field(client, cast):
    client.force_login(cast.worker)
    response = client.post(reverse("comms:project_thread", args=[cast.project.pk]), {"body": "教えてください", "intent": "reply"})
    assert response.status_code == 400 and "返事の期日を入れてください" in response.content.decode()
    assert not Message.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("coordinator", 302), ("owner", 403), ("worker", 403), ("outsider", 404)])
def test_only_the_coordinator_edits_the_charter(client, cast, role, status):
    response = _client(client, cast, role).post(reverse("comms:charter", args=[cast.project.pk]), {"text": "返事は翌営業日までで大丈夫"})
    assert response.status_code == status
    page = _client(client, cast, "worker").get(reverse("comms:project_thread", args=[cast.project.pk])).content.decode()
    assert ("返事は翌営業日までで大丈夫" in page) == (role == "coordinator")
    assert "既読スルーOK" in page or role == "coordinator"


def test_people_outside_the_thread_cannot_post_or_acknowledge(cast):
    message = message_post(project=cast.project, by=cast.owner, body="よろしく")
    with pytest.raises(DomainError):
        message_post(project=cast.project, by=cast.outsider, body="割り込み")
    with pytest.raises(DomainError):
        message_acknowledge(message=message, by=cast.outsider)


def test_a_direct_message_is_seen_by_its_two_people_only(client, cast):
    client.force_login(cast.worker)
    response = client.post(reverse("comms:direct", args=[cast.project.pk, cast.second.pk]), {"body": "明日代わってもらえますか", "intent": "fyi"})
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.recipient == cast.second
    assert "明日代わって" not in client.get(reverse("comms:project_thread", args=[cast.project.pk])).content.decode()
    client.force_login(cast.second)
    assert "明日代わって" in client.get(reverse("comms:direct", args=[cast.project.pk, cast.worker.pk])).content.decode()
    assert list(Notification.objects.filter(subject__contains="メッセージ").values_list("user", flat=True)) == [cast.second.pk]
    client.force_login(cast.coordinator)
    assert "明日代わって" not in client.get(reverse("comms:direct", args=[cast.project.pk, cast.worker.pk])).content.decode()
    client.force_login(cast.outsider)
    assert client.get(reverse("comms:direct", args=[cast.project.pk, cast.worker.pk])).status_code == 404


def test_attachments_are_limited_and_served_only_to_the_thread(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(cast.worker)
    response = client.post(reverse("comms:project_thread", args=[cast.project.pk]),
                           {"body": "一覧です", "intent": "fyi", "files": [SimpleUploadedFile("chiyoda.csv", "名称,締切\n".encode())]})
    assert response.status_code == 302
    refused = client.post(reverse("comms:project_thread", args=[cast.project.pk]),
                          {"body": "実行ファイル", "intent": "fyi", "files": [SimpleUploadedFile("run.exe", b"MZ")]})
    assert refused.status_code == 400 and "添付できるのは" in refused.content.decode() and Message.objects.count() == 1
    attachment = Message.objects.get().attachments.get()
    assert client.get(reverse("comms:attachment", args=[attachment.pk])).status_code == 200
    client.force_login(cast.outsider)
    assert client.get(reverse("comms:attachment", args=[attachment.pk])).status_code == 404


def test_a_team_channel_hears_the_team_thread_with_retries_and_a_bad_webhook_is_refused(client, cast, slack_server,
                                                                                      django_capture_on_commit_callbacks):
    from tsunagu.comms.models import Charter, TeamPost
    from tsunagu.comms.services import deliveries_send

    client.force_login(cast.coordinator)
    response = client.post(reverse("comms:charter", args=[cast.project.pk]), {"text": "既読スルーOK", "slack_webhook_url": "http://127.0.0.1/x"})
    assert response.status_code == 400 and not Charter.objects.filter(slack_webhook_url__startswith="http:").exists()
    Charter.objects.filter(project=cast.project).update(slack_webhook_url=slack_server["url"])  # the stand-in is plain http
    slack_server["failing"]["count"] = 1
    with django_capture_on_commit_callbacks(execute=True):
        message_post(project=cast.project, by=cast.worker, body="千代田区、終わりました")
    post = TeamPost.objects.get()
    assert post.status == "pending" and post.attempts == 1  # the first try failed; it waits two minutes
    deliveries_send(now=post.deliver_after + datetime.timedelta(seconds=1))
    post.refresh_from_db()
    assert post.status == "sent" and "千代田区、終わりました" in slack_server["received"][0]["text"]
    message_post(project=cast.project, by=cast.worker, body="内緒の話", recipient=cast.second)
    assert TeamPost.objects.count() == 1  # direct messages never go to the channel


def test_markdown_lite_renders_bold_lists_and_links_but_never_markup_someone_typed():
    from tsunagu.comms.templatetags.comms_tags import lite

    html = lite("**締切**は明日\n- 出典URL\n- 二重チェック\n<script>alert(1)</script> https://example.jp/a")
    assert "<strong>締切</strong>" in html and "<ul><li>出典URL</li><li>二重チェック</li></ul>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html and 'href="https://example.jp/a"' in html


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["comms:notifications", "comms:preferences", "comms:meetings", "comms:calendar"])
def test_ones_own_pages_need_a_login(client, cast, role, name):
    response = _client(client, cast, role).get(reverse(name))
    assert response.status_code == (302 if role == "anonymous" else 200)
