import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_anonymous_client_over_the_rate_gets_429_with_a_japanese_message_and_retry_after(client, settings):
    settings.API_RATE_ANONYMOUS = "3/m"
    assert [client.get("/api/v1/notices").status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get("/api/v1/notices")
    assert refused.status_code == 429
    assert "リクエストが多すぎます" in refused.json()["detail"]
    assert int(refused["Retry-After"]) > 0


def test_the_limit_counts_per_client_address(client, settings):
    settings.API_RATE_ANONYMOUS = "2/m"
    for _ in range(2):
        client.get("/api/v1/notices", REMOTE_ADDR="192.0.2.1")
    assert client.get("/api/v1/notices", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert client.get("/api/v1/notices", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_a_signed_in_person_has_the_higher_rate_and_their_own_count(client, settings):
    settings.API_RATE_ANONYMOUS = "1/m"
    settings.API_RATE_AUTHENTICATED = "5/m"
    client.force_login(UserFactory())
    assert [client.get("/api/v1/notices").status_code for _ in range(5)] == [200] * 5
    assert client.get("/api/v1/notices").status_code == 429



def test_a_forged_forwarded_for_header_does_not_escape_the_limit(client, settings):
    settings.API_RATE_ANONYMOUS = "2/m"
    answers = [client.get("/api/v1/notices", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code for n in range(3)]
    assert answers == [200, 200, 429]
