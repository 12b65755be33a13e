import re

import pytest
from django.urls import reverse

from tests.conftest import ROLES
from tests.factories import NoticeFactory, OrganisationFactory
from tests.insights import corpus
from tsunagu.notices.models import Organisation

pytestmark = pytest.mark.django_db
PRIVATE = "import:内部の取り込みファイル.csv"


@pytest.fixture
def data():
    cast = corpus.build()
    Organisation.objects.filter(pk=cast["a"].pk).update(source=PRIVATE)
    for notice in cast["notices"]:
        notice.source = PRIVATE
        notice.save()
    return cast


def pages(cast) -> list[str]:
    return [
        reverse("insights:analytics"), reverse("insights:analytics") + "?q=観光&kind=proposal",
        reverse("insights:organisations"), reverse("insights:organisations") + "?q=（株）あおば",
        reverse("insights:organisation", args=[cast["a"].pk]), reverse("insights:organisation", args=[cast["c"].pk]),
        reverse("municipality_detail", args=["131016"]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_every_insights_page_is_public_and_shows_nothing_private(client_as, role, data):
    client = client_as(role)
    for url in pages(data):
        response = client.get(url)
        assert response.status_code == 200, url
        assert PRIVATE not in response.content.decode(), url


@pytest.mark.parametrize("role", ROLES)
def test_an_unknown_organisation_is_a_404_for_everyone(client_as, role):
    assert client_as(role).get(reverse("insights:organisation", args=[999_999])).status_code == 404


def test_the_analytics_page_shows_the_distributions_as_svg_with_the_numbers_in_a_table(client, data):
    response = client.get(reverse("insights:analytics"), {"q": "観光"})
    html = response.content.decode()
    assert "「観光」の分析" in html
    for heading in ("上限額の分布", "落札率の分布", "応札者数", "落札者の上位", "年度別", "公募種別", "分野", "都道府県"):
        assert heading in html
    charts = re.findall(r'<svg class="chart" role="img".*?</svg>', html, re.S)
    assert len(charts) >= 6 and all("<title" in c and "<desc" in c for c in charts)
    assert response.context["analytics"].notices == 3
    assert reverse("insights:organisation", args=[data["a"].pk]) in html  # winners link to their page
    assert "税込・税抜が揃わない" not in html  # the two awards found have a ratio: nothing left out to explain


def test_the_analytics_page_says_which_awards_have_no_ratio_and_why(client, data):
    html = client.get(reverse("insights:analytics")).content.decode()
    assert "次の 4 件は数えていません" in html
    for reason in ("落札金額がない", "予定価格がない", "税区分が不明", "税込・税抜が揃わない"):
        assert reason in html


def test_a_search_with_no_match_gets_a_helpful_empty_state(client, data):
    response = client.get(reverse("insights:analytics"), {"q": "該当しない語句"})
    html = response.content.decode()
    assert "数えるものがありません" in html and "すべての公募の分析を見る" in html
    assert '<svg class="chart"' not in html


def test_a_bad_filter_is_reported_and_left_out_not_a_500(client, data):
    response = client.get(reverse("insights:analytics"), {"budget_min": "たくさん", "kind": "proposal"})
    assert response.status_code == 200
    assert response.context["analytics"].notices == 3
    assert "この条件は使わずに数えました" in response.content.decode()


def test_the_search_results_link_to_their_analytics_with_the_same_query(client, data):
    html = client.get(reverse("notices:list"), {"q": "観光", "kind": "proposal"}).content.decode()
    link = re.search(r'href="(/insights/\?[^"]*)">分析を見る', html)
    assert link and "q=%E8%A6%B3%E5%85%89" in link.group(1) and "kind=proposal" in link.group(1)
    assert client.get(link.group(1).replace("&amp;", "&")).context["analytics"].notices == 3


def test_winner_names_link_to_their_pages_from_the_notice_and_the_municipality(client, data):
    url = reverse("insights:organisation", args=[data["a"].pk])
    assert url in client.get(reverse("notices:detail", args=[data["notices"][0].pk])).content.decode()
    html = client.get(reverse("municipality_detail", args=["011002"])).content.decode()
    assert url in html
    assert "発注の傾向" in html and "落札率の分布" in html


def test_an_organisation_page_shows_its_wins_and_links_the_corporate_number(client, data):
    response = client.get(reverse("insights:organisation", args=[data["a"].pk]))
    html = response.content.decode()
    assert "https://www.houjin-bangou.nta.go.jp/henkorireki-johoto.html?selHouzinNo=1010001000006" in html
    profile = response.context["profile"]
    assert (profile.wins, profile.total_amount, str(profile.median_ratio)) == (3, 13_600_000, "0.915")
    assert {b.key: b.notices for b in profile.by_fiscal_year} == {"2024": 2, "2025": 1}
    assert {b.key: b.notices for b in profile.by_prefecture} == {"13": 1, "01": 2}
    assert {m.lg_code: n for m, n in profile.municipalities} == {"011002": 2, "131016": 1}
    assert {b.key: b.notices for b in profile.by_category} == {"観光": 2, "広報": 1, "福祉": 1}
    assert len(profile.recent_awards) == 3


def test_an_organisation_without_a_corporate_number_says_it_is_matched_by_name(client, data):
    html = client.get(reverse("insights:organisation", args=[data["b"].pk])).content.decode()
    assert "名称で同じ事業者をまとめています" in html and "houjin-bangou" not in html


def test_an_organisation_without_wins_has_an_empty_state(client):
    organisation = OrganisationFactory()
    html = client.get(reverse("insights:organisation", args=[organisation.pk])).content.decode()
    assert "まだ登録されていません" in html


def test_the_organisation_list_finds_by_name_variant_or_corporate_number(client, data):
    def names(q: str) -> list[str]:
        return [o.name for o in client.get(reverse("insights:organisations"), {"q": q}).context["page"].object_list]

    assert names("㈱あおば企画") == ["株式会社あおば企画"]
    assert names("1010001000006") == ["株式会社あおば企画"]
    assert names("") == ["株式会社あおば企画", "ひかり測量株式会社", "NPO法人まちつなぎ"]  # most wins first
    assert names("見つからない会社") == []


def test_the_pages_need_a_fixed_number_of_queries(client, data, django_assert_max_num_queries):
    for i in range(5):
        NoticeFactory(title=f"追加の観光公募{i}", categories=[f"分野{i}"])
    with django_assert_max_num_queries(20):
        client.get(reverse("insights:analytics"))
    with django_assert_max_num_queries(12):
        client.get(reverse("insights:organisations"))
    with django_assert_max_num_queries(20):
        client.get(reverse("insights:organisation", args=[data["a"].pk]))
