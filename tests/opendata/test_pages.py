import json

import pytest
from django.urls import reverse

from tests.conftest import ROLES
from tsunagu.opendata.exports import JSONL_FILENAME, PACKAGE_FILENAME
from tsunagu.opendata.ocds import FIELDS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _export_dir(settings, tmp_path):
    settings.OCDS_EXPORT_DIR = tmp_path / "opendata"


@pytest.mark.parametrize("role", ROLES)
def test_the_open_data_page_is_public_and_explains_licence_fields_and_extension(client_as, role, settings, full_notice):
    settings.OCDS_LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
    page = client_as(role).get(reverse("opendata:index"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "https://creativecommons.org/licenses/by/4.0/" in html
    for _label, path, _extension in FIELDS:
        assert f"<code>{path}</code>" in html
    assert reverse("opendata:extension", args=["extension.json"]) in html


@pytest.mark.parametrize("role", ROLES)
def test_the_page_links_the_files_the_queue_built_and_anyone_can_download_them(client_as, role, full_notice):
    client = client_as(role)
    html = client.get(reverse("opendata:index")).content.decode()  # no files yet: the page asks the queue for them
    for name in (PACKAGE_FILENAME, JSONL_FILENAME):
        url = reverse("opendata:download", args=[name])
        assert url in html
        response = client.get(url)
        assert response.status_code == 200
        assert f'filename="{name}"' in response["Content-Disposition"]
    package = json.loads(b"".join(client.get(reverse("opendata:download", args=[PACKAGE_FILENAME])).streaming_content))
    assert [r["tender"]["title"] for r in package["releases"]] == [full_notice.title]


def test_the_page_says_the_files_are_being_prepared_while_the_queue_has_not_built_them(client, monkeypatch):
    from tsunagu.opendata import tasks

    monkeypatch.setattr(tasks, "ocds_export_files_build_task", lambda: None)
    html = client.get(reverse("opendata:index")).content.decode()
    assert "ダウンロード用のファイルを作成しています" in html
    assert client.get(reverse("opendata:download", args=[PACKAGE_FILENAME])).status_code == 404


@pytest.mark.parametrize("name", ["settings.py", "other.json", ".tsunagu-ocds-releases.jsonl.tmp"])
def test_only_the_export_files_can_be_downloaded(client, name):
    assert client.get(reverse("opendata:download", args=[name])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_extension_is_served_as_json_for_ocds_tools(client_as, role):
    response = client_as(role).get(reverse("opendata:extension", args=["extension.json"]))
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "*"
    extension = json.loads(b"".join(response.streaming_content))
    assert extension["schemas"] == ["release-schema.json"] and extension["compatibility"] == ["1.1"]
    assert client_as(role).get(reverse("opendata:extension", args=["release-schema.json"])).status_code == 200
    assert client_as(role).get(reverse("opendata:extension", args=["apps.py"])).status_code == 404


def test_the_site_footer_links_the_open_data_page(client):
    assert reverse("opendata:index") in client.get(reverse("home")).content.decode()
