"""The coverage page (public) and the sources page (the team's)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import ROLES
from tests.factories import NoticeFactory, municipality
from tsunagu.collection.models import Candidate, Source

pytestmark = pytest.mark.django_db


def test_coverage_shows_fresh_stale_and_not_yet_covered_bodies(client):
    fresh = Source.objects.create(municipality=municipality("131016"), url="https://www.city.chiyoda.lg.jp/keiyaku/",
                                  last_checked_at=timezone.now())
    Source.objects.create(municipality=municipality("131024"), url="https://www.city.chuo.lg.jp/keiyaku/",
                          last_checked_at=timezone.now() - timezone.timedelta(days=30))
    Candidate.objects.create(source=fresh, municipality=fresh.municipality, title="公募", key="k", found_at=timezone.now())
    NoticeFactory(municipality=municipality("131016"), published_on=timezone.localdate())
    page = client.get(reverse("collection:coverage")).content.decode()
    assert "最近見ている自治体 1、しばらく見ていない 1、まだ情報源のない 1786" in page
    tokyo = client.get(reverse("collection:coverage"), {"prefecture": "13"}).context["rows"]
    chiyoda = next(r for r in tokyo if r.municipality.lg_code == "131016")
    assert (chiyoda.state, chiyoda.sources, chiyoda.published, chiyoda.open_candidates) == ("fresh", 1, 1, 1)
    assert next(r for r in tokyo if r.municipality.lg_code == "131024").state == "stale"
    assert next(r for r in tokyo if r.municipality.lg_code == "131032").state == "none"


@pytest.mark.parametrize("role", ROLES)
def test_the_sources_page_is_for_the_npos_people(client, cast, role):
    user = cast.user(role)
    if user:
        client.force_login(user)
    response = client.get(reverse("collection:sources"))
    assert response.status_code == {"anonymous": 302, "owner": 403}.get(role, 200)
    if role in ("coordinator", "worker", "outsider"):
        response = client.post(reverse("collection:sources"), {"lg_code": "131016", "url": "https://www.city.chiyoda.lg.jp/k/",
                                                               "kind": "proposal"})
        assert response.status_code == 302 and Source.objects.filter(added_by=user).exists()


def test_an_unknown_body_or_a_repeated_source_is_refused_next_to_the_field(client, cast):
    client.force_login(cast.worker)
    response = client.post(reverse("collection:sources"), {"lg_code": "999999", "url": "https://x.example/", "kind": "other"})
    assert response.status_code == 400 and "自治体マスタにありません" in response.content.decode()
    data = {"lg_code": "131016", "url": "https://www.city.chiyoda.lg.jp/k/", "kind": "proposal"}
    client.post(reverse("collection:sources"), data)
    response = client.post(reverse("collection:sources"), data)
    assert response.status_code == 400 and "もう登録されています" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_entry_pages_answer_each_role(client, cast, role):
    source = Source.objects.create(municipality=municipality("131016"), url="https://www.city.chiyoda.lg.jp/k/")
    candidate = Candidate.objects.create(source=source, municipality=source.municipality, title="公募", key="k",
                                         found_at=timezone.now(), fields={"title": {"value": "公募", "evidence": "公募"}})
    user = cast.user(role)
    if user:
        client.force_login(user)
    expected = {"anonymous": 302, "owner": 403}.get(role, 200)
    assert client.get(reverse("collection:candidate", args=[candidate.pk])).status_code == expected
    assert client.get(reverse("collection:paste", args=["131016"])).status_code == expected
    assert client.get(reverse("collection:coverage")).status_code == 200  # coverage is public


def test_the_second_person_of_a_double_entry_enters_blind_and_the_reviewer_sees_both_entries_without_a_third_form(client, cast):
    from tsunagu.collection.entry import entry_submit

    candidate = Candidate.objects.create(municipality=municipality("131016"), title="観光案内所運営業務委託", key="k",
                                         found_at=timezone.now(), needs_double_entry=True)
    fields = {"title": "観光案内所運営業務委託", "kind": "proposal", "published_on": "2026-05-01", "budget_yen": "3,300,000円"}
    entry_submit(candidate=candidate, by=cast.worker, fields=fields)
    url = reverse("collection:candidate", args=[candidate.pk])
    client.force_login(cast.second)
    page = client.get(url).content.decode()
    assert "二人目の入力" in page
    assert "3300000" not in page and str(cast.worker) not in page and "公開する" not in page
    entry_submit(candidate=candidate, by=cast.second, fields=fields)
    client.force_login(cast.coordinator)
    page = client.get(url).content.decode()
    assert "公開する" in page and str(cast.worker) in page and str(cast.second) in page
    assert "入力する" not in page, "two entries are all a double entry takes"
