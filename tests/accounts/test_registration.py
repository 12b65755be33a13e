import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory
from tsunagu.accounts.models import User

pytestmark = pytest.mark.django_db
PASSWORD = "tsunagu-kankou-2026"


def _register(client, email="hanako@example.jp", password=PASSWORD, again=None):
    return client.post(reverse("register"), {"email": email, "password1": password, "password2": again or password})


def _link() -> str:
    return re.search(r"https?://\S+", mail.outbox[-1].body).group(0).split("testserver", 1)[1]


def test_a_searcher_registers_confirms_by_mail_with_her_password_and_is_signed_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client)
    assert response.status_code == 200 and "確認メールを送りました" in response.content.decode()
    user = User.objects.get(email="hanako@example.jp")
    assert not user.is_active and user.username == "hanako@example.jp"
    link = _link()
    assert client.get(link).status_code == 200
    user.refresh_from_db()
    assert not user.is_active  # opening the link (a mail scanner) opens nothing
    response = client.post(link, {"password": "wrong-password"})
    assert response.status_code == 400 and "パスワードが違います" in response.content.decode()
    response = client.post(link, {"password": PASSWORD})
    user.refresh_from_db()
    assert response.status_code == 302 and user.is_active
    assert client.get(reverse("alerts:index")).status_code == 200
    assert client.get(link).status_code == 400  # used


def test_a_weak_or_mismatched_password_is_refused_next_to_the_field(client):
    response = _register(client, password="12345678")
    assert response.status_code == 400 and "password1" in response.content.decode()
    response = _register(client, again="something-else-2026")
    assert response.status_code == 400 and "パスワードが一致しません" in response.content.decode()
    assert not User.objects.exists()


def test_a_registered_address_gets_a_note_not_a_second_account_and_the_page_says_nothing(client, django_capture_on_commit_callbacks):
    UserFactory(email="hanako@example.jp", username="hanako")
    with django_capture_on_commit_callbacks(execute=True):
        response = _register(client)
    assert "確認メールを送りました" in response.content.decode()
    assert User.objects.filter(email="hanako@example.jp").count() == 1 and "登録済み" in mail.outbox[-1].subject


def test_signing_up_again_before_confirming_replaces_the_first_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _register(client)
    first = _link()
    with django_capture_on_commit_callbacks(execute=True):
        _register(client, password="another-pass-2026")
    assert client.get(first).status_code == 400
    assert client.post(_link(), {"password": "another-pass-2026"}).status_code == 302


def test_a_made_up_confirmation_link_gets_a_clear_message(client):
    response = client.get(reverse("register_confirm", args=["MQ", "made-up"]))
    assert response.status_code == 400 and "確認のリンクは使えません" in response.content.decode()


@pytest.mark.parametrize("role", ["owner", "coordinator", "worker", "outsider", "anonymous"])
def test_the_registration_page_answers_every_role_and_the_login_page_links_it(client_as, role):
    client = client_as(role)
    assert client.get(reverse("register")).status_code == 200
    assert reverse("register") in client.get(reverse("login")).content.decode()
