import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from tests.conftest import ROLES
from tests.factories import AwardFactory, NoticeFactory, municipality

pytestmark = pytest.mark.django_db


def _notice(**fields):
    defaults = {"title": "令和7年度 図書館清掃業務", "department": "生涯学習課", "published_on": datetime.date(2025, 4, 1),
                "enquiry_deadline": datetime.date(2025, 4, 10), "enquiry_deadline_time": datetime.time(17, 0),
                "submission_deadline": datetime.date(2025, 4, 25)}
    return NoticeFactory(**{**defaults, **fields})


def test_the_detail_page_has_a_timeline_and_a_calendar_file_with_each_deadline(client):
    notice = _notice()
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    assert page.index("質問締切") < page.index("提出期限")
    calendar = Calendar.from_ical(client.get(reverse("notices:calendar", args=[notice.pk])).content)
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {"【質問締切】令和7年度 図書館清掃業務", "【提出期限】令和7年度 図書館清掃業務"}
    enquiry = events["【質問締切】令和7年度 図書館清掃業務"].decoded("dtstart")
    assert enquiry.isoformat() == "2025-04-10T17:00:00+09:00"
    assert events["【提出期限】令和7年度 図書館清掃業務"].decoded("dtstart") == datetime.date(2025, 4, 25)


def test_the_detail_page_describes_the_call_in_schema_org_json_ld(client):
    notice = _notice(description="</script><script>alert(1)</script>")
    page = client.get(reverse("notices:detail", args=[notice.pk])).content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    data = json.loads(block)
    assert data["name"] == notice.title and data["expires"] == "2025-04-25"
    assert data["publisher"]["name"] == "東京都千代田区"
    assert "<script>alert" not in block


def test_the_same_call_in_other_years_is_listed_with_its_result(client):
    this_year = _notice()
    last_year = _notice(title="令和6年度 図書館清掃業務", published_on=datetime.date(2024, 4, 1))
    AwardFactory(notice=last_year, amount_yen=1_000_000)
    _notice(title="令和6年度 公園清掃業務", published_on=datetime.date(2024, 4, 2))  # another call
    _notice(title="令和6年度 図書館清掃業務", department="総務課", published_on=datetime.date(2024, 4, 3))  # another dept
    response = client.get(reverse("notices:detail", args=[this_year.pk]))
    assert [n.pk for n in response.context["other_years"]] == [last_year.pk]
    assert "1,000,000" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_municipality_page_is_public_and_lists_open_calls_and_results(client_as, role):
    open_call = NoticeFactory(title="観光PR業務", published_on=timezone.localdate() - datetime.timedelta(days=3))
    AwardFactory(notice=NoticeFactory(title="過去の清掃業務"), amount_yen=500)
    NoticeFactory(title="札幌の公募", municipality=municipality("011002"))
    response = client_as(role).get(reverse("municipality_detail", args=["131016"]))
    assert response.status_code == 200
    assert [n.pk for n in response.context["open_notices"]] == [open_call.pk]
    page = response.content.decode()
    assert "過去の清掃業務" in page and "札幌の公募" not in page
    assert client_as(role).get(reverse("municipality_detail", args=["999999"])).status_code == 404


def test_the_calendar_of_an_unknown_notice_is_a_404(client):
    assert client.get(reverse("notices:calendar", args=[12345])).status_code == 404
