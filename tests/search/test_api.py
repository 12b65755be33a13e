import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import ROLES
from tests.factories import AwardFactory, NoticeFactory, municipality
from tsunagu.notices.models import NoticeKind

pytestmark = pytest.mark.django_db

RESULT_KEYS = {"id", "external_id", "lg_code", "prefecture", "municipality", "title", "kind", "status", "published_on",
               "application_deadline", "submission_deadline", "budget_yen", "tax_basis", "npo_eligible", "url", "source_url"}


@pytest.mark.parametrize("role", ROLES)
def test_the_search_api_needs_no_login_and_returns_results_with_facets(client_as, role):
    NoticeFactory(title="観光PR動画制作", kind=NoticeKind.PROPOSAL, budget_yen=5_000_000, external_id="R7-1")
    NoticeFactory(title="観光案内所指定管理", kind=NoticeKind.DESIGNATED_MANAGER, municipality=municipality("011002"))
    NoticeFactory(title="庁舎清掃")
    response = client_as(role).get("/api/v1/notices", {"q": "観光", "page_size": 1})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 2 and len(data["results"]) == 1
    assert set(data["results"][0]) == RESULT_KEYS
    assert data["facets"]["kind"] == {"proposal": 1, "designated_manager": 1}
    assert data["facets"]["prefecture"] == {"13": 1, "01": 1}
    assert data["results"][0]["url"].startswith("http://testserver/notices/")


def test_the_api_filters_like_the_page_and_refuses_a_bad_sort(client):
    NoticeFactory(title="観光PR", municipality=municipality("011002"))
    NoticeFactory(title="観光案内", municipality=municipality("131016"))
    assert client.get("/api/v1/notices", {"q": "観光", "prefecture": "13"}).json()["count"] == 1
    bad = client.get("/api/v1/notices", {"sort": "price; DROP TABLE"})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["query", "sort"] and "次のどれか" in bad.json()["detail"][0]["msg"]
    assert client.get("/api/v1/notices", {"page_size": 1000}).status_code == 422


def test_closing_soon_means_open_and_due_within_seven_days(client):
    today = timezone.localdate()
    NoticeFactory(title="来週締切", published_on=today - datetime.timedelta(days=10), submission_deadline=today + datetime.timedelta(days=6))
    NoticeFactory(title="来月締切", published_on=today - datetime.timedelta(days=10), submission_deadline=today + datetime.timedelta(days=30))
    data = client.get("/api/v1/notices", {"status": "closing_soon"}).json()
    assert [r["title"] for r in data["results"]] == ["来週締切"]


def test_a_notice_in_the_api_has_its_awards(client):
    award = AwardFactory(amount_yen=900)
    data = client.get(f"/api/v1/notices/{award.notice_id}").json()
    assert data["id"] == award.notice_id and data["awards"][0]["amount_yen"] == 900
    assert client.get("/api/v1/notices/999999").status_code == 404


def test_the_openapi_description_and_the_docs_page_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/notices" in schema["paths"] and "/api/v1/notices/{notice_id}" in schema["paths"]
    docs = client.get("/api/v1/docs").content.decode()
    assert "swagger" in docs.lower() and "cdn.jsdelivr" not in docs and "unpkg.com" not in docs


def test_the_search_command_prints_the_same_json_as_the_api(client, capsys):
    NoticeFactory(title="子ども食堂支援")
    NoticeFactory(title="図書館")
    call_command("search", "子供", "--json", "--limit", "5")
    printed = json.loads(capsys.readouterr().out)
    from_api = client.get("/api/v1/notices", {"q": "子供", "page_size": 5}).json()
    assert printed["count"] == from_api["count"] == 1
    assert [r["id"] for r in printed["results"]] == [r["id"] for r in from_api["results"]]
    assert printed["facets"] == from_api["facets"]
    call_command("search", "子供")
    assert "子ども食堂支援" in capsys.readouterr().out
