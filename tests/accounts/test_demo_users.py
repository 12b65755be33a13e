from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError

from tsunagu.accounts.models import User

pytestmark = pytest.mark.django_db


def test_ensure_demo_users_refuses_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("ensure_demo_users", stdout=StringIO())
    assert not User.objects.exists()


def test_ensure_demo_users_creates_the_four_accounts_with_their_roles(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("ensure_demo_users", stdout=out)
    users = {u.username: u for u in User.objects.all()}
    assert set(users) == {"coordinator", "owner", "worker", "worker2", "admin"}
    assert users["coordinator"].role == User.Role.COORDINATOR
    assert users["coordinator"].display_name == "山田 花子（コーディネーター）"
    assert users["owner"].role == User.Role.OWNER
    assert users["worker"].role == User.Role.WORKER
    assert users["admin"].is_staff and users["admin"].is_superuser
    assert not any(users[name].is_staff for name in ("coordinator", "owner", "worker"))
    assert "tsunagu-demo" in out.getvalue()


def test_every_demo_account_signs_in_with_the_documented_password(settings):
    settings.DEBUG = True
    call_command("ensure_demo_users", stdout=StringIO())
    for username in ("coordinator", "owner", "worker", "worker2", "admin"):
        assert authenticate(username=username, password="tsunagu-demo") is not None


def test_running_it_again_resets_a_changed_account(settings):
    settings.DEBUG = True
    call_command("ensure_demo_users", stdout=StringIO())
    worker = User.objects.get(username="worker")
    worker.set_password("something-else")
    worker.role = User.Role.MEMBER
    worker.is_active = False
    worker.save()
    call_command("ensure_demo_users", stdout=StringIO())
    worker.refresh_from_db()
    assert worker.role == User.Role.WORKER and worker.is_active
    assert worker.check_password("tsunagu-demo")
    assert User.objects.count() == 5
