import pytest
from django.urls import reverse

from tests.alerts.helpers import notice, saved, searcher
from tests.conftest import ROLES
from tsunagu.alerts.models import ApiToken, Follow, SavedSearch

pytestmark = pytest.mark.django_db


def _page_urls(search, target) -> list[str]:
    return [reverse("alerts:index"), reverse("alerts:new") + "?q=観光", reverse("alerts:edit", args=[search.pk]),
            reverse("alerts:follows")]


@pytest.mark.parametrize("role", ROLES)
def test_every_alerts_page_is_for_its_owner_and_someone_elses_saved_search_is_404(client_as, role):
    owner = searcher()
    theirs = saved(owner, "q=観光")
    target = notice(title="観光PR")
    client = client_as(role)
    for url in _page_urls(theirs, target):
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        elif url == reverse("alerts:edit", args=[theirs.pk]):
            assert response.status_code == 404
        else:
            assert response.status_code == 200, url
    for name in ("alerts:pause", "alerts:delete"):
        response = client.post(reverse(name, args=[theirs.pk]))
        assert response.status_code == (302 if role == "anonymous" else 404)
    theirs.refresh_from_db()
    assert not theirs.paused


@pytest.mark.parametrize("role", ROLES)
def test_anyone_signed_in_can_save_edit_pause_and_delete_their_search(client_as, role):
    client = client_as(role)
    response = client.post(reverse("alerts:new"), {"name": "観光", "query_string": "q=観光&kind=proposal", "frequency": "daily",
                                                   "email_on": "on"})
    if role == "anonymous":
        assert response.status_code == 302 and not SavedSearch.objects.exists()
        return
    search = SavedSearch.objects.get()
    assert response.status_code == 302 and search.query_string == "q=%E8%A6%B3%E5%85%89&kind=proposal"
    page = client.get(reverse("alerts:index")).content.decode()
    assert "観光" in page and "毎朝" in page
    client.post(reverse("alerts:edit", args=[search.pk]), {"name": "観光（週）", "query_string": search.query_string,
                                                           "frequency": "weekly", "email_on": "on"})
    client.post(reverse("alerts:pause", args=[search.pk]))
    search.refresh_from_db()
    assert (search.name, search.frequency, search.paused) == ("観光（週）", "weekly", True)
    client.post(reverse("alerts:delete", args=[search.pk]))
    assert not SavedSearch.objects.exists()


def test_the_save_page_shows_the_conditions_in_words_and_refuses_a_bad_webhook_next_to_the_field(client):
    client.force_login(searcher())
    page = client.get(reverse("alerts:new"), {"q": "観光", "kind": "proposal", "page": "2"}).content.decode()
    assert "「観光」・公募種別：公募型プロポーザル" in page
    response = client.post(reverse("alerts:new"), {"name": "観光", "query_string": "q=観光", "frequency": "instant",
                                                   "slack_webhook_url": "http://example.com/hook"})
    assert response.status_code == 400 and "Incoming Webhook" in response.content.decode()
    response = client.post(reverse("alerts:new"), {"name": "観光", "query_string": "q=観光", "frequency": "instant"})
    assert response.status_code == 400 and "メールか Slack" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_follow_button_on_a_notice_page(client_as, role):
    target = notice(title="観光PR")
    client = client_as(role)
    page = client.get(reverse("notices:detail", args=[target.pk])).content.decode()
    assert "フォロー" in page
    response = client.post(reverse("alerts:follow", args=[target.pk]), {"next": "https://evil.example/"})
    if role == "anonymous":
        assert response.status_code == 302 and not Follow.objects.exists()
        return
    assert response["Location"] == reverse("notices:detail", args=[target.pk])
    assert "フォロー中（やめる）" in client.get(reverse("notices:detail", args=[target.pk])).content.decode()
    assert "観光PR" in client.get(reverse("alerts:follows")).content.decode()
    client.post(reverse("alerts:follow", args=[target.pk]))
    assert not Follow.objects.exists()
    assert client.post(reverse("alerts:follow", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_api_tokens_are_made_shown_once_and_revoked_by_their_owner_only(client_as, role):
    other = ApiToken.objects.create(user=searcher(), name="他人の", digest="x" * 64, prefix="abcdefgh")
    client = client_as(role)
    response = client.post(reverse("alerts:api_token_create"), {"name": "スクリプト"}, follow=True)
    assert client.post(reverse("alerts:api_token_revoke", args=[other.pk])).status_code == (302 if role == "anonymous" else 404)
    if role == "anonymous":
        assert ApiToken.objects.count() == 1
        return
    mine = ApiToken.objects.exclude(pk=other.pk).get()
    assert "tsg_" in response.content.decode() and mine.prefix in response.content.decode()
    assert "tsg_" not in client.get(reverse("alerts:index")).content.decode()  # shown once
    client.post(reverse("alerts:api_token_revoke", args=[mine.pk]))
    assert list(ApiToken.objects.all()) == [other]


def test_the_alerts_page_reads_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    from tsunagu.alerts.delivery import alerts_run

    person = searcher()
    client.force_login(person)
    for i in range(5):
        saved(person, f"q=観光{i}", name=f"検索{i}")
        notice(title=f"観光{i} PR")
    alerts_run()
    with django_assert_max_num_queries(16):  # the same with 5 or 500 saved searches (the first visit makes the feed token)
        assert client.get(reverse("alerts:index")).status_code == 200
