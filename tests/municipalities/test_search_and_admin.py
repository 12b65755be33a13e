import pytest
from django.urls import reverse

from tsunagu.municipalities.models import Municipality
from tsunagu.municipalities.selectors import municipality_search

pytestmark = pytest.mark.django_db


def names(queryset) -> list[str]:
    return [municipality.full_name for municipality in queryset]


def test_search_finds_municipalities_by_name_prefix():
    assert "東京都千代田区" in names(municipality_search("千代"))
    assert "東京都千代田区" not in names(municipality_search("代田"))


def test_search_finds_municipalities_by_kana_prefix_in_hiragana_or_katakana():
    assert "東京都千代田区" in names(municipality_search("ちよだ"))
    assert "東京都千代田区" in names(municipality_search("チヨダ"))
    assert "東京都千代田区" in names(municipality_search("ﾁﾖﾀﾞ"))


def test_search_within_a_prefecture_when_the_query_starts_with_its_name():
    assert names(municipality_search("東京都 府中")) == ["東京都府中市"]
    tokyo = names(municipality_search("東京都"))
    assert tokyo[0] == "東京都"
    assert len(tokyo) == 1 + 62


def test_an_empty_search_finds_nothing():
    assert not municipality_search("  ").exists()


def test_search_reads_the_prefecture_in_the_same_query(django_assert_num_queries):
    results = municipality_search("府中市")
    with django_assert_num_queries(1):
        assert names(results) == ["東京都府中市", "広島県府中市"]


@pytest.mark.parametrize("model", ["prefecture", "municipality", "ward"])
def test_the_admin_lists_each_model(admin_client, model):
    response = admin_client.get(reverse(f"admin:municipalities_{model}_changelist"))
    assert response.status_code == 200


def test_the_admin_searches_municipalities_by_code_kana_and_full_name(admin_client):
    url = reverse("admin:municipalities_municipality_changelist")
    for query in ("131016", "ちよだく", "東京都千代田区"):
        response = admin_client.get(url, {"q": query})
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == [Municipality.objects.get(lg_code="131016")], query


def test_the_admin_filters_municipalities_by_level_and_prefecture(admin_client):
    tokyo = Municipality.objects.get(lg_code="130001").prefecture
    response = admin_client.get(
        reverse("admin:municipalities_municipality_changelist"),
        {"level__exact": "special_ward", "prefecture__id__exact": tokyo.pk},
    )
    assert response.context["cl"].result_count == 23


def test_the_admin_searches_wards_by_name(admin_client):
    response = admin_client.get(reverse("admin:municipalities_ward_changelist"), {"q": "手稲"})
    assert [ward.lg_code for ward in response.context["cl"].result_list] == ["011096"]
