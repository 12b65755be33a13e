"""Issue 7's story on demo data, through the pages: a small NPO looking at 「観光プロモーション」 sees what such calls are
worth and who wins them, finds a yearly call with its next edition predicted, saves the search and hears by mail,
once, when a matching call is imported; the open-data export of the same data validates."""

import datetime
import email
import email.policy
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.factories import UserFactory
from tests.notices.test_import_notices import HEADER, row
from tests.opendata.conftest import ocds  # noqa: F401 (the OCDS schemas fixture)
from tsunagu.alerts.tasks import alerts_every_five_minutes
from tsunagu.notices.demo import demo_generate
from tsunagu.opendata.exports import write_package
from tsunagu.series.models import CallSeries

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 28)
QUERY = "観光プロモーション"


def test_a_searcher_aims_at_tourism_promotion_calls_from_analytics_to_one_alert_mail(client, smtp_server, write_csv,
                                                                                     settings):
    settings.SITE_URL = "https://tsunagu.example.jp"
    demo_generate(notices=3000, seed=1, today=TODAY)

    page = client.get(reverse("insights:analytics"), {"q": QUERY})
    analytics = page.context["analytics"]
    assert analytics.budget.counted > 0 and analytics.ratio.counted > 0 and analytics.top_winners
    html = page.content.decode()
    assert "上限額の分布" in html and "落札率の分布" in html and "落札者の上位" in html

    series = (CallSeries.objects.recurring().filter(editions__notice__title__contains=QUERY,
                                                    predicted_on__isnull=False).distinct().first())
    assert series is not None, "the demo data has a yearly tourism-promotion call"
    series_page = client.get(reverse("series:detail", args=[series.pk])).content.decode()
    assert "予定（過去実績から推定）" in series_page and series.predicted_on.isoformat() in series_page

    searcher = UserFactory(email="npo@example.jp")
    client.force_login(searcher)
    form = client.get(reverse("alerts:new"), {"q": QUERY}).context["form"]  # the search page's 「この条件を保存」
    saved = client.post(reverse("alerts:new"), {"name": QUERY, "query_string": form.initial["query_string"],
                                                "frequency": "instant", "email_on": "on"})
    assert saved.status_code == 302
    path = write_csv([HEADER, row(**{"案件名": f"令和9年度 {QUERY}業務委託", "公告日": "2026/11/28",
                                     "提出期限": "2026/12/25"})])
    call_command("import_notices", str(path))
    alerts_every_five_minutes.call_local()
    alerts_every_five_minutes.call_local()  # a second round finds nothing new
    [mail] = smtp_server
    body = email.message_from_bytes(mail["data"].encode(), policy=email.policy.default).get_body(("plain",)).get_content()
    assert f"令和9年度 {QUERY}業務委託" in body and mail["to"] == ["npo@example.jp"]


def test_the_open_data_export_of_the_demo_data_validates_against_ocds(ocds):  # noqa: F811
    demo_generate(notices=3000, seed=1, today=TODAY)
    out = io.StringIO()
    write_package(out)
    package = json.loads(out.getvalue())
    assert len(package["releases"]) >= 3000
    assert ocds.errors(ocds.package, package) == []
