import pytest

from tests.alerts.helpers import saved, searcher
from tsunagu.alerts import services
from tsunagu.alerts.models import ApiToken, SavedSearch

pytestmark = pytest.mark.django_db
URL = "/api/v1/saved-searches"


@pytest.fixture
def person_and_token():
    person = searcher()
    _record, token = services.api_token_create(user=person, name="スクリプト")
    return person, {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_saved_searches_are_created_read_updated_and_deleted_with_a_token(client, person_and_token):
    person, auth = person_and_token
    response = client.post(URL, {"name": "観光", "query": "q=観光&page=2", "frequency": "instant"},
                           content_type="application/json", **auth)
    assert response.status_code == 201
    created = response.json()
    assert created["query"] == "q=%E8%A6%B3%E5%85%89" and created["frequency"] == "instant"
    assert client.get(URL, **auth).json() == [created]
    response = client.put(f"{URL}/{created['id']}", {"name": "観光（毎週）", "query": "q=観光", "frequency": "weekly",
                                                     "paused": True}, content_type="application/json", **auth)
    assert response.status_code == 200 and (response.json()["frequency"], response.json()["paused"]) == ("weekly", True)
    assert client.delete(f"{URL}/{created['id']}", **auth).status_code == 204
    assert not SavedSearch.objects.exists()


def test_without_a_valid_token_the_api_answers_401_and_only_a_hash_is_stored(client, person_and_token):
    _person, auth = person_and_token
    assert client.get(URL).status_code == 401
    assert client.get(URL, HTTP_AUTHORIZATION="Bearer tsg_made-up").status_code == 401
    token = auth["HTTP_AUTHORIZATION"].split()[1]
    assert not ApiToken.objects.filter(digest=token).exists() and ApiToken.objects.get().digest == services.token_digest(token)
    ApiToken.objects.all().delete()  # revoked
    assert client.get(URL, **auth).status_code == 401


def test_someone_elses_saved_search_is_404_through_the_api(client, person_and_token):
    _person, auth = person_and_token
    theirs = saved(searcher(), "q=観光")
    assert client.get(f"{URL}/{theirs.pk}", **auth).status_code == 404
    assert client.delete(f"{URL}/{theirs.pk}", **auth).status_code == 404
    assert client.get(URL, **auth).json() == []


def test_bad_input_is_a_400_naming_the_field(client, person_and_token):
    _person, auth = person_and_token
    response = client.post(URL, {"name": "x", "query": "deadline_from=2026-99-99"}, content_type="application/json", **auth)
    assert response.status_code == 400 and "締切（から）" in response.json()["detail"]
    response = client.post(URL, {"name": "x", "slack_webhook_url": "https://evil.example/"}, content_type="application/json", **auth)
    assert response.status_code == 400 and response.json()["field"] == "slack_webhook_url"
    assert client.post(URL, {"name": "x", "frequency": "hourly"}, content_type="application/json", **auth).status_code == 422


def test_the_openapi_description_types_the_saved_searches():
    from tsunagu.api.v1 import api

    schema = api.get_openapi_schema()
    assert "/api/v1/saved-searches" in schema["paths"] and "SavedSearchOut" in schema["components"]["schemas"]
    assert "BearerAuth" in str(schema["components"].get("securitySchemes", {})) or "TokenAuth" in str(schema["components"])
