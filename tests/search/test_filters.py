import datetime

import pytest
from django.urls import reverse

from tests.factories import NoticeFactory, municipality
from tsunagu.notices.models import NoticeKind
from tsunagu.search.criteria import SearchFilters
from tsunagu.search.selectors import notice_search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]
D = datetime.date


def _titles(**filters) -> set[str]:
    return {n.title for n in notice_search(filters=SearchFilters(**filters)).notices}


@pytest.fixture
def notices():
    NoticeFactory(title="A", categories=["福祉", "DX"], npo_eligible=True, budget_yen=1_000_000, published_on=D(2025, 4, 1),
                  submission_deadline=D(2025, 5, 1))
    NoticeFactory(title="B", categories=["観光"], npo_eligible=False, budget_yen=9_000_000, published_on=D(2025, 6, 1),
                  submission_deadline=D(2025, 7, 1), municipality=municipality("011002"), kind=NoticeKind.OPEN_TENDER)
    NoticeFactory(title="C", categories=[], published_on=D(2025, 8, 1))


@pytest.mark.parametrize(("filters", "expected"), [
    ({"category": "福祉"}, {"A"}), ({"category": "祉"}, set()), ({"npo_eligible": True}, {"A"}), ({"npo_eligible": False}, {"B"}),
    ({"budget_min": 2_000_000}, {"B"}), ({"budget_max": 2_000_000}, {"A"}), ({"deadline_from": D(2025, 6, 1)}, {"B"}),
    ({"deadline_to": D(2025, 6, 1)}, {"A"}), ({"published_from": D(2025, 5, 1), "published_to": D(2025, 7, 1)}, {"B"}),
    ({"municipality": "011002"}, {"B"}), ({"prefecture": "13"}, {"A", "C"}), ({"kind": "open_tender"}, {"B"}), ({}, {"A", "B", "C"}),
])
def test_each_filter_narrows_the_search(notices, filters, expected):
    assert _titles(**filters) == expected


def test_facet_counts_follow_the_query_and_link_to_the_narrowed_search(client, notices):
    response = client.get(reverse("notices:list"), {"prefecture": "13"})
    facets = response.context["facets"]
    assert {i["label"]: i["count"] for i in facets["prefecture"]} == {"東京都": 2}
    chosen = facets["prefecture"][0]
    assert chosen["chosen"] and "prefecture" not in chosen["url"]  # a chosen facet's link removes it
    kinds = {i["label"]: i for i in facets["kind"]}
    assert "kind=proposal" in kinds["公募型プロポーザル"]["url"] and "prefecture=13" in kinds["公募型プロポーザル"]["url"]


def test_an_invalid_filter_is_reported_and_left_out_not_a_500(client, notices):
    response = client.get(reverse("notices:list"), {"budget_min": "たくさん", "deadline_from": "2025-13-40"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 3
    assert "この条件は使わずに探しました" in response.content.decode()


def test_the_api_takes_the_same_filters(client, notices):
    data = client.get("/api/v1/notices", {"npo_eligible": "true", "budget_max": 5_000_000}).json()
    assert [r["title"] for r in data["results"]] == ["A"]


def test_choosing_a_prefecture_opens_the_municipality_level(client):
    NoticeFactory(title="千代田", municipality=municipality("131016"))
    NoticeFactory(title="八王子", municipality=municipality("132012"))
    NoticeFactory(title="札幌", municipality=municipality("011002"))
    assert "municipality" not in client.get(reverse("notices:list")).context["facets"]
    facets = client.get(reverse("notices:list"), {"prefecture": "13"}).context["facets"]
    labels = {i["label"]: i for i in facets["municipality"]}
    assert set(labels) == {"千代田区", "八王子市"}
    narrowed = client.get(reverse("notices:list") + labels["八王子市"]["url"])
    assert [n.title for n in narrowed.context["page"].object_list] == ["八王子"]


def test_results_come_twenty_a_page_without_repeats_or_gaps(client):
    for n in range(25):
        NoticeFactory(title=f"防災計画 その{n}", published_on=D(2025, 4, 1) + datetime.timedelta(days=n))
    first = client.get(reverse("notices:list"), {"q": "防災", "sort": "newest"}).context["page"]
    second = client.get(reverse("notices:list"), {"q": "防災", "sort": "newest", "page": 2}).context["page"]
    assert first.paginator.count == 25 and len(first.object_list) == 20 and len(second.object_list) == 5
    titles = [n.title for n in [*first.object_list, *second.object_list]]
    assert titles == [f"防災計画 その{n}" for n in range(24, -1, -1)]
