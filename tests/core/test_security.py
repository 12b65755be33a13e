"""Django's protections, kept on: CSRF, safe redirects after sign-in and language switch, cookie and password settings."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_post_without_the_csrf_token_is_refused():
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    assert browser.post("/comms/notifications/read/").status_code == 403


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"])
def test_sign_in_never_redirects_to_another_site(client, target):
    user = UserFactory(username="hanako")
    user.set_password("right-password-123")
    user.save()
    answer = client.post(f"/accounts/login/?next={target}", {"username": "hanako", "password": "right-password-123"})
    assert answer.status_code == 302 and answer["Location"] == "/"


def test_the_language_switch_never_redirects_to_another_site(client):
    answer = client.post("/i18n/setlang/", {"language": "en", "next": "https://evil.example/"})
    assert answer.status_code == 302 and not answer["Location"].startswith(("http", "//"))


def test_cookies_are_out_of_reach_of_scripts_and_passwords_are_hashed_with_argon2_outside_tests():
    assert settings.SESSION_COOKIE_HTTPONLY and settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"
    from tsunagu import settings as project_settings

    assert project_settings.PRODUCTION_PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_production_settings_turn_on_https_only_cookies_and_hsts(monkeypatch):
    import importlib

    import tsunagu.settings as project_settings

    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("TSUNAGU_TESTING", "0")
    production = importlib.reload(project_settings)
    try:
        assert production.SESSION_COOKIE_SECURE and production.CSRF_COOKIE_SECURE
        assert production.SECURE_HSTS_SECONDS >= 3600 and production.SECURE_SSL_REDIRECT
        assert production.X_FRAME_OPTIONS == "DENY"
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)
