import pytest
from django.urls import reverse

from tests.conftest import ROLES
from tests.factories import NoticeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_the_home_page_is_public_and_shows_the_latest_notices(client_as, role):
    NoticeFactory(title="最新の公募")
    page = client_as(role).get(reverse("home"))
    assert page.status_code == 200
    assert "最新の公募" in page.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_import_link_is_shown_to_coordinators_only(client_as, role):
    page = client_as(role).get(reverse("home")).content.decode()
    assert (reverse("notices:import_list") in page) == (role == "coordinator")


def test_the_login_page_signs_a_user_in(client, make_user):
    user = make_user("worker")
    response = client.post(reverse("login"), {"username": user.username, "password": "pass-word-123"})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == user


def test_outside_tests_passwords_use_argon2_and_debug_off_requires_a_secret_key(tmp_path):
    import os
    import subprocess
    import sys

    script = "import django; django.setup(); from django.conf import settings; print(settings.PASSWORD_HASHERS[0])"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tsunagu.settings", "VAR_DIR": str(tmp_path), "DEBUG": "1"}
    env.pop("TSUNAGU_TESTING", None)
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "django.contrib.auth.hashers.Argon2PasswordHasher"
    env.update(DEBUG="0", SECRET_KEY="")
    refused = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert refused.returncode != 0 and "SECRET_KEY must be set" in refused.stderr


def test_the_home_page_lists_published_calls_not_ones_announced_for_later(client):
    import datetime

    from django.utils import timezone

    NoticeFactory(title="公告済みの公募", published_on=timezone.localdate())
    NoticeFactory(title="来週公告の公募", published_on=timezone.localdate() + datetime.timedelta(days=7))
    page = client.get(reverse("home")).content.decode()
    assert "公告済みの公募" in page and "来週公告の公募" not in page


def test_the_stylesheet_is_found_by_the_static_files_finders():
    from django.contrib.staticfiles import finders

    assert finders.find("tsunagu/site.css")


def test_the_default_database_is_a_sqlite_file_under_var_in_wal_mode(monkeypatch, tmp_path):
    from tsunagu import settings as project_settings

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setattr(project_settings, "VAR_DIR", tmp_path)
    config = project_settings.database_from_env()
    assert config["NAME"] == str(tmp_path / "tsunagu.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tsunagu")
    assert project_settings.database_from_env()["ENGINE"] == "django.db.backends.postgresql"


@pytest.mark.parametrize("role", ROLES)
def test_anyone_can_download_the_import_templates(client_as, role):
    response = client_as(role).get(reverse("notices:import_template", args=["notices"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")


def test_the_home_page_shows_calls_closing_this_week_and_open_calls_per_prefecture(client):
    import datetime

    from django.utils import timezone

    from tests.factories import municipality

    today = timezone.localdate()
    NoticeFactory(title="今週締切の公募", published_on=today - datetime.timedelta(days=5), submission_deadline=today + datetime.timedelta(days=3))
    NoticeFactory(title="来月締切の公募", published_on=today - datetime.timedelta(days=5), submission_deadline=today + datetime.timedelta(days=40),
                  municipality=municipality("011002"))
    response = client.get(reverse("home"))
    closing = [n.title for n in response.context["closing_soon"]]
    assert closing == ["今週締切の公募"]
    counts = {p["name"]: p["open_count"] for p in response.context["by_prefecture"]}
    assert counts["東京都"] == 1 and counts["北海道"] == 1 and counts["大阪府"] == 0 and len(counts) == 47


def _admin_models():
    from django.contrib import admin

    return sorted(f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry)


@pytest.mark.parametrize("label", _admin_models())
def test_every_admin_add_page_renders_its_widgets(admin_client, label):
    """The admin's widgets (related-object links, dates, raw ids) have Django templates only: no form renderer may
    hide them."""
    app, model = label.split(".")
    response = admin_client.get(reverse(f"admin:{app}_{model}_add"))
    assert response.status_code == (403 if label == "notices.importrun" else 200)  # import runs come from uploads only


def test_an_admin_change_page_renders_a_notice_with_its_related_objects(admin_client):
    notice = NoticeFactory()
    assert admin_client.get(reverse("admin:notices_notice_change", args=[notice.pk])).status_code == 200
