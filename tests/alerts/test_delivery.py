import datetime
import email
import email.policy

import pytest
from django.urls import reverse

from tests.alerts.helpers import notice, saved, searcher
from tsunagu.alerts import services
from tsunagu.alerts.delivery import alerts_run, deliveries_gather, deliveries_send, due_before
from tsunagu.alerts.models import AlertMatch, Delivery, SavedSearch

pytestmark = pytest.mark.django_db
MONDAY_MORNING = datetime.datetime(2026, 6, 1, 1, 0, tzinfo=datetime.UTC)  # 10:00 in Tokyo, a Monday


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(MONDAY_MORNING)


def parse(mail: dict) -> email.message.EmailMessage:
    return email.message_from_bytes(mail["data"].encode(), policy=email.policy.default)


def text_and_html(message) -> tuple[str, str]:
    return (message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content())


def test_an_instant_alert_is_one_mail_with_text_and_html_and_one_click_unsubscribe(smtp_server, settings):
    settings.SITE_URL = "https://tsunagu.example.jp"
    person = searcher(email="hanako@example.jp")
    saved(person, "q=観光", name="観光")
    found = notice(title="観光プロモーション業務")
    assert alerts_run()["sent"] == 1
    assert alerts_run()["sent"] == 0  # never twice
    [mail] = smtp_server
    message = parse(mail)
    assert mail["to"] == ["hanako@example.jp"] and "観光" in message["Subject"]
    text, html = text_and_html(message)
    assert "観光プロモーション業務" in text and f"https://tsunagu.example.jp/notices/{found.pk}/" in text
    assert "2026-07-01" in text and f'href="https://tsunagu.example.jp/notices/{found.pk}/"' in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].strip().startswith("<https://tsunagu.example.jp/alerts/unsubscribe/")


def test_a_digest_groups_by_saved_search_and_puts_what_closes_soonest_first():
    person = searcher()
    late = saved(person, "q=福祉", name="福祉", frequency="daily")
    soon = saved(person, "q=観光", name="観光", frequency="daily")
    notice(title="観光B", submission_deadline=datetime.date(2026, 6, 20))
    notice(title="観光A", submission_deadline=datetime.date(2026, 6, 10))
    notice(title="観光（締切なし）", submission_deadline=None)
    notice(title="福祉計画", submission_deadline=datetime.date(2026, 6, 15))
    alerts_run()
    assert not Delivery.objects.exists()  # daily: told tomorrow at 07:00 Tokyo time
    deliveries_gather(now=MONDAY_MORNING + datetime.timedelta(days=1))
    from tsunagu.alerts.delivery import delivery_content

    [delivery] = Delivery.objects.all()
    groups = delivery_content(delivery)["groups"]
    assert [g.saved_search for g in groups] == [soon, late]
    assert [n.title for n in groups[0].notices] == ["観光A", "観光B", "観光（締切なし）"]


def test_digests_are_due_at_seven_in_tokyo_daily_and_on_mondays_weekly():
    tuesday_noon = datetime.datetime(2026, 6, 2, 3, 0, tzinfo=datetime.UTC)  # 12:00 Tokyo
    assert due_before("daily", tuesday_noon) == datetime.datetime(2026, 6, 1, 22, 0, tzinfo=datetime.UTC)
    assert due_before("weekly", tuesday_noon) == datetime.datetime(2026, 5, 31, 22, 0, tzinfo=datetime.UTC)
    assert due_before("instant", tuesday_noon) == tuesday_noon


def test_slack_gets_one_post_per_saved_search_and_a_failure_is_retried_without_duplicates(slack_server, smtp_server):
    person = searcher()
    search = saved(person, "q=観光", email_on=False, slack_webhook_url="https://hooks.slack.com/services/T/B/x")
    SavedSearch.objects.filter(pk=search.pk).update(slack_webhook_url=slack_server["url"])  # the local stand-in
    notice(title="観光PR")
    slack_server["failing"]["count"] = 1
    alerts_run()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1) and "500" in delivery.last_error
    assert deliveries_send(now=MONDAY_MORNING + datetime.timedelta(minutes=1)) == 0  # backing off
    assert deliveries_send(now=MONDAY_MORNING + datetime.timedelta(minutes=3)) == 1
    assert alerts_run()["sent"] == 0
    [post] = slack_server["received"]
    assert "観光PR" in post["text"] and smtp_server == []


def test_a_mail_that_keeps_failing_is_given_up_after_five_tries(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    saved(searcher(), "q=観光")
    notice(title="観光PR")
    alerts_run()
    for minutes in (3, 8, 20, 40):
        deliveries_send(now=MONDAY_MORNING + datetime.timedelta(minutes=minutes))
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 5)


def test_a_slack_webhook_must_be_https_on_an_allowed_host():
    with pytest.raises(services.DomainError, match="Slack"):
        saved(searcher(), "q=観光", slack_webhook_url="http://10.0.0.1/hook")


def test_unconfirmed_people_get_no_mail(smtp_server):
    person = searcher(is_active=False)
    saved(person, "q=観光")
    notice(title="観光PR")
    alerts_run()
    assert smtp_server == [] and AlertMatch.objects.count() == 0


def _unsubscribe_url(smtp_server) -> str:
    header = parse(smtp_server[0])["List-Unsubscribe"]
    return header.strip().strip("<>").split("testserver", 1)[-1].split("127.0.0.1:8000", 1)[-1]


def test_the_unsubscribe_link_asks_on_get_and_stops_the_mails_on_post_without_login(client, smtp_server):
    person = searcher()
    search = saved(person, "q=観光")
    other = saved(person, "q=福祉", name="福祉")
    notice(title="観光PR")
    alerts_run()
    url = _unsubscribe_url(smtp_server)
    page = client.get(url)
    assert page.status_code == 200 and "配信を停止する" in page.content.decode()
    search.refresh_from_db()
    assert search.email_on
    page = client.post(url)
    assert "観光の公募" in page.content.decode()
    search.refresh_from_db(), other.refresh_from_db()
    assert not search.email_on and other.email_on  # only what that mail carried
    notice(title="観光PR2")
    alerts_run()
    assert len(smtp_server) == 1


def test_one_click_unsubscribe_works_as_mail_clients_post_it(client, smtp_server):
    from django.test import Client

    saved(searcher(), "q=観光")
    notice(title="観光PR")
    alerts_run()
    response = Client(enforce_csrf_checks=True).post(_unsubscribe_url(smtp_server), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and not SavedSearch.objects.get().email_on


def test_a_bad_unsubscribe_token_gets_a_clear_message(client):
    response = client.get(reverse("alerts:unsubscribe", args=["made-up-token"]))
    assert response.status_code == 400 and "配信停止のリンクは正しくありません" in response.content.decode()
    assert client.post(reverse("alerts:unsubscribe", args=["made-up-token"])).status_code == 400


def test_changes_of_followed_notices_come_in_the_instant_mail(smtp_server):
    person = searcher()
    target = notice(title="観光PR")
    services.follow_set(user=person, notice=target, following=True)
    alerts_run()
    target.cancelled = True
    target.save()
    alerts_run()
    [mail] = smtp_server
    text, _html = text_and_html(parse(mail))
    assert "【中止】観光PR" in text and "フォロー中の公募の変更" in parse(mail)["Subject"]
