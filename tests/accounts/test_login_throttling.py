import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "ログインの失敗が続いたため"


@pytest.fixture
def person():
    user = UserFactory(username="hanako")
    user.set_password("right-password-123")
    user.save()
    return user


def sign_in(client, password, username="hanako", address="192.0.2.10"):
    return client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_after_five_failures_even_the_right_password_is_refused_with_how_long_to_wait(client, person):
    for _ in range(5):
        assert LOCKED not in sign_in(client, "wrong").content.decode()
    refused = sign_in(client, "right-password-123")
    assert refused.status_code == 200 and "15分間" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_lockout_time(client, person, settings):
    from django.core.cache import cache

    for _ in range(5):
        sign_in(client, "wrong")
    cache.clear()  # what the lock-out time's expiry does to the counts
    assert sign_in(client, "right-password-123").status_code == 302


def test_a_stranger_guessing_from_elsewhere_does_not_lock_the_person_out(client, person):
    for _ in range(5):
        sign_in(client, "wrong", address="198.51.100.7")
    assert sign_in(client, "right-password-123", address="192.0.2.10").status_code == 302


def test_one_address_trying_many_names_is_stopped_too(client, person, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS = 3
    for name in ("a", "b", "c"):
        sign_in(client, "wrong", username=name)
    assert LOCKED in sign_in(client, "right-password-123").content.decode()


def test_a_success_clears_the_count_of_earlier_failures(client, person):
    for _ in range(4):
        sign_in(client, "wrong")
    assert sign_in(client, "right-password-123").status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, "wrong")
    assert sign_in(client, "right-password-123").status_code == 302


def test_a_forged_forwarded_for_header_does_not_reset_the_count_without_a_trusted_proxy(client, person):
    for n in range(5):
        sign_in_from(client, "wrong", forwarded=f"203.0.113.{n}")
    assert LOCKED in sign_in_from(client, "right-password-123", forwarded="203.0.113.99").content.decode()


def test_behind_one_trusted_proxy_the_client_is_the_address_the_proxy_saw(client, person, settings):
    settings.TRUSTED_PROXIES = 1
    for _ in range(5):
        sign_in_from(client, "wrong", forwarded="1.2.3.4, 198.51.100.7")  # the proxy appended 198.51.100.7
    # someone else behind the same proxy is not locked out
    assert sign_in_from(client, "right-password-123", forwarded="198.51.100.8").status_code == 302


def sign_in_from(client, password, *, forwarded):
    return client.post("/accounts/login/", {"username": "hanako", "password": password}, REMOTE_ADDR="10.0.0.1",
                       HTTP_X_FORWARDED_FOR=forwarded)
