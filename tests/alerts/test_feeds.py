import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from icalendar import Calendar

from tests.alerts.helpers import notice, saved, searcher
from tsunagu.alerts import services
from tsunagu.alerts.delivery import alerts_run

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[str]:
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]


def test_any_search_url_has_an_atom_feed_with_the_same_results(client, search_engine):
    notice(title="観光プロモーション業務", kind="proposal")
    notice(title="観光案内所の指定管理", kind="designated_manager")
    notice(title="庁舎清掃業務")
    assert sorted(entries(client.get("/notices/feed.atom?q=観光"))) == ["観光プロモーション業務", "観光案内所の指定管理"]
    assert entries(client.get("/notices/feed.atom?q=観光&kind=proposal")) == ["観光プロモーション業務"]
    assert len(entries(client.get("/notices/feed.atom?kind=nonsense&page=x"))) == 3  # unreadable conditions are ignored
    assert len(entries(client.get("/notices/feed.atom?q=観光&kind=nonsense"))) == 2


def test_the_search_page_links_its_feed_and_the_save_button(client):
    page = client.get(reverse("notices:list"), {"q": "観光", "kind": "proposal"}).content.decode()
    assert 'rel="alternate" type="application/atom+xml"' in page and "/notices/feed.atom?q=%E8%A6%B3%E5%85%89&amp;kind=proposal" in page
    assert "この条件を保存" in page and "/alerts/new/?q=%E8%A6%B3%E5%85%89&amp;kind=proposal" in page


def test_a_saved_search_feed_lists_its_alerts_and_a_new_token_revokes_the_old_url(client):
    person = searcher()
    search = saved(person, "q=観光")
    notice(title="観光PR")
    alerts_run()
    old = services.feed_token_for(person).token
    url = reverse("alerts:saved_search_feed", args=[old, search.pk])
    assert entries(client.get(url)) == ["観光PR"]
    services.feed_token_renew(user=person)
    assert client.get(url).status_code == 404
    new = services.feed_token_for(person).token
    assert entries(client.get(reverse("alerts:saved_search_feed", args=[new, search.pk]))) == ["観光PR"]


def test_someone_elses_saved_search_is_not_in_my_feed(client):
    mine, theirs = searcher(), searcher()
    search = saved(theirs, "q=観光")
    token = services.feed_token_for(mine).token
    assert client.get(reverse("alerts:saved_search_feed", args=[token, search.pk])).status_code == 404


def test_the_deadlines_of_followed_notices_are_an_icalendar_feed(client):
    person = searcher()
    followed = notice(title="観光PR", application_deadline=datetime.date(2026, 6, 20))
    notice(title="庁舎清掃")
    services.follow_set(user=person, notice=followed, following=True)
    token = services.feed_token_for(person).token
    response = client.get(reverse("alerts:follows_calendar", args=[token]))
    calendar = Calendar.from_ical(response.content)
    events = sorted((str(e["summary"]), e.decoded("dtstart")) for e in calendar.walk("VEVENT"))
    assert events == [("【参加申込締切】観光PR", datetime.date(2026, 6, 20)), ("【提出期限】観光PR", datetime.date(2026, 7, 1))]
    services.feed_token_renew(user=person)
    assert client.get(reverse("alerts:follows_calendar", args=[token])).status_code == 404
