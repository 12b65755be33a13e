"""Issue 7's done-when: a searcher receives exactly one alert mail when a matching notice is imported."""

import email
import email.policy

import pytest
from django.core.management import call_command

from tests.notices.test_import_notices import HEADER, row
from tsunagu.alerts import services
from tsunagu.alerts.tasks import alerts_every_five_minutes

pytestmark = pytest.mark.django_db


def test_a_searcher_receives_exactly_one_alert_mail_when_a_matching_notice_is_imported(smtp_server, write_csv, settings):
    settings.SITE_URL = "https://tsunagu.example.jp"
    from tests.factories import UserFactory

    searcher = UserFactory(email="npo@example.jp")
    services.saved_search_create(user=searcher, name="観光プロモーション", query_string="q=観光プロモーション",
                                 frequency="instant")
    path = write_csv([HEADER,
                      row(**{"案件名": "令和8年度 観光プロモーション業務委託", "公告日": "2026/6/1", "提出期限": "2026/7/1"}),
                      row(**{"案件名": "庁舎清掃業務", "公告日": "2026/6/1"})])
    call_command("import_notices", str(path))
    alerts_every_five_minutes.call_local()
    call_command("import_notices", str(path))  # the same file again: nothing new
    alerts_every_five_minutes.call_local()
    [mail] = smtp_server
    message = email.message_from_bytes(mail["data"].encode(), policy=email.policy.default)
    assert mail["to"] == ["npo@example.jp"]
    body = message.get_body(("plain",)).get_content()
    assert "令和8年度 観光プロモーション業務委託" in body and "庁舎清掃業務" not in body
