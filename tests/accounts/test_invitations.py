"""Sign-up by invitation and password reset by mail."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import ROLES
from tsunagu.accounts.models import Invitation, Membership, User

pytestmark = pytest.mark.django_db


def _invite(client, cast, django_capture_on_commit_callbacks, email="new@example.jp", role="worker"):
    client.force_login(cast.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("invitation_create"), {"organisation": cast.npo.pk, "email": email, "role": role})
    assert response.status_code == 302
    return re.search(r"http://testserver(/accounts/invitations/[^/]+/)", mail.outbox[-1].body).group(1)


def test_an_invited_person_signs_up_with_the_role_and_is_signed_in(client, cast, django_capture_on_commit_callbacks):
    link = _invite(client, cast, django_capture_on_commit_callbacks)
    client.logout()
    response = client.post(link, {"username": "hanako", "display_name": "山本 花子", "password1": "kosodate-2026-ok",
                                  "password2": "kosodate-2026-ok"})
    assert response.status_code == 302 and response["Location"] == reverse("workshare:profile_edit")
    user = User.objects.get(username="hanako")
    assert user.email == "new@example.jp" and Membership.objects.filter(user=user, organisation=cast.npo, role="worker").exists()
    assert client.get(link).status_code == 410  # used once


@pytest.mark.parametrize(("password", "message"), [("abc", "短すぎ|too short"), ("12345678901", "数字しか|entirely numeric")])
def test_a_weak_password_is_refused_next_to_the_field(client, cast, django_capture_on_commit_callbacks, password, message):
    link = _invite(client, cast, django_capture_on_commit_callbacks)
    client.logout()
    response = client.post(link, {"username": "hanako", "display_name": "山本", "password1": password, "password2": password})
    assert response.status_code == 400 and re.search(message, response.content.decode())
    assert not User.objects.filter(username="hanako").exists()


def test_an_expired_invitation_says_so(client, cast, django_capture_on_commit_callbacks, time_machine):
    link = _invite(client, cast, django_capture_on_commit_callbacks)
    time_machine.shift(datetime.timedelta(days=15))
    client.logout()
    response = client.get(link)
    assert response.status_code == 410 and "有効期限が切れました" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_can_invite(client, cast, role):
    user = cast.user(role)
    if user:
        client.force_login(user)
    response = client.get(reverse("invitation_create"))
    assert response.status_code == {"coordinator": 200, "anonymous": 302}.get(role, 403)
    response = client.post(reverse("invitation_create"), {"organisation": cast.npo.pk, "email": "x@example.jp", "role": "worker"})
    assert Invitation.objects.exists() == (role == "coordinator")


def test_a_forgotten_password_is_reset_through_the_mailed_link(client, cast):
    response = client.post(reverse("password_reset"), {"email": "worker@example.jp"})
    assert response.status_code == 302
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(link, follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "atarashii-2026-pw", "new_password2": "atarashii-2026-pw"})
    assert response.status_code == 302
    cast.worker.refresh_from_db()
    assert cast.worker.check_password("atarashii-2026-pw")
