import pytest

from tests.conftest import ROLES
from tests.insights import corpus
from tsunagu.insights.selectors import analytics_for_search
from tsunagu.search.criteria import SearchFilters

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_the_insights_api_needs_no_login(client_as, role):
    cast = corpus.build()
    client = client_as(role)
    for url in ("/api/v1/organisations", f"/api/v1/organisations/{cast['a'].pk}", "/api/v1/awards", "/api/v1/analytics"):
        assert client.get(url).status_code == 200, url


def test_the_analytics_api_returns_the_numbers_of_the_page(client, search_engine):
    corpus.build()
    data = client.get("/api/v1/analytics", {"q": "観光", "prefecture": "13"}).json()
    page = analytics_for_search(text="観光", filters=SearchFilters(prefecture="13"))
    assert (data["notices"], data["awarded"], data["awards"]) == (page.notices, page.awarded, page.awards) == (2, 1, 1)
    assert {b["key"]: b["count"] for b in data["budget"]["buckets"]} == {b.key: b.count for b in page.budget.buckets}
    assert data["ratio"]["median"] == 0.88
    assert [w["name"] for w in data["top_winners"]] == ["株式会社あおば企画"]
    everything = client.get("/api/v1/analytics").json()
    assert everything["ratio_missing"] == {"no_amount": 1, "no_estimate": 1, "basis_unknown": 1, "basis_differs": 1}
    assert {b["key"]: b["notices"] for b in everything["by_fiscal_year"]} == {"2024": 2, "2025": 4}


def test_the_analytics_api_refuses_an_unknown_kind_or_status_in_japanese(client):
    for params in ({"kind": "lottery"}, {"status": "someday"}):
        response = client.get("/api/v1/analytics", params)
        [problem] = response.json()["detail"]
        assert response.status_code == 422 and problem["loc"] == ["query", *params] and "どれか" in problem["msg"]
    assert client.get("/api/v1/analytics", {"budget_min": -1}).status_code == 422


def test_organisations_are_searched_and_paged(client):
    cast = corpus.build()
    data = client.get("/api/v1/organisations", {"page_size": 2}).json()
    assert data["count"] == 3 and [o["wins"] for o in data["results"]] == [3, 2]
    assert data["results"][0]["corporate_number_url"].endswith("selHouzinNo=1010001000006")
    assert client.get("/api/v1/organisations", {"q": "ひかり測量"}).json()["results"][0]["id"] == cast["b"].pk
    assert client.get("/api/v1/organisations", {"page": 2, "page_size": 2}).json()["results"][0]["wins"] == 1


def test_an_organisation_comes_with_its_stats_and_an_unknown_one_is_a_404(client):
    cast = corpus.build()
    data = client.get(f"/api/v1/organisations/{cast['a'].pk}").json()
    assert (data["wins"], data["total_amount"], data["median_ratio"]) == (3, 13_600_000, 0.915)
    assert {m["lg_code"]: m["wins"] for m in data["municipalities"]} == {"011002": 2, "131016": 1}
    assert {b["key"]: b["notices"] for b in data["by_kind"]} == {"proposal": 2, "grant": 1}
    missing = client.get("/api/v1/organisations/999999")
    assert missing.status_code == 404 and missing.json()["detail"] == "その事業者はありません。"


def test_awards_are_filtered_by_notice_winner_municipality_and_fiscal_year(client):
    cast = corpus.build()

    def ids(**params) -> list[int]:
        return [a["notice_id"] for a in client.get("/api/v1/awards", params).json()["results"]]

    n1, n2, n3, n4, n5, _n6 = (n.pk for n in cast["notices"])
    assert sorted(ids()) == sorted([n1, n2, n3, n4, n5, n5])
    assert ids(notice=n5) == [n5, n5]
    assert sorted(ids(winner=cast["b"].pk)) == sorted([n3, n4])
    assert sorted(ids(municipality="011002")) == [n2, n5, n5]
    assert sorted(ids(fiscal_year=2024)) == sorted([n1, n5, n5])  # 2025-03-31 is still 2024年度
    assert sorted(ids(fiscal_year=2025)) == sorted([n2, n3, n4])  # 2025-04-01 … 2026-03-31
    first = client.get("/api/v1/awards", {"notice": n1}).json()["results"][0]
    assert (first["award_ratio"], first["amount_tax_basis"], first["fiscal_year"]) == (0.88, "税込", 2024)
    assert client.get("/api/v1/awards", {"municipality": "13101"}).status_code == 422
    too_large = client.get("/api/v1/awards", {"winner": 2**63})  # beyond any row id: a 422, not a database error
    assert too_large.status_code == 422 and too_large.json()["detail"][0]["loc"] == ["query", "winner"]
    assert client.get("/api/v1/awards", {"notice": 2**63 - 1}).json()["count"] == 0


def test_the_openapi_description_types_every_insights_response(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/organisations", "/api/v1/organisations/{organisation_id}", "/api/v1/awards", "/api/v1/analytics"):
        response = schema["paths"][path]["get"]["responses"]["200"]
        assert "$ref" in response["content"]["application/json"]["schema"], path
