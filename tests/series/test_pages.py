"""The series page, the upcoming page and the API: public, and predictions apart from published calls."""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import ROLES
from tests.factories import AwardFactory, NoticeFactory, OrganisationFactory, municipality
from tsunagu.series.models import CallSeries

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def series(time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC))
    winner = OrganisationFactory(name="株式会社みなと企画")
    for year, budget in ((2023, 5_000_000), (2024, 5_200_000), (2025, 5_400_000)):
        notice = NoticeFactory(title=f"令和{year - 2018}年度 観光プロモーション業務委託", department="観光課", budget_yen=budget,
                               published_on=datetime.date(year, 5, 8), municipality=municipality("131016"))
        AwardFactory(notice=notice, winner=winner, amount_yen=budget - 200_000, estimated_value_yen=budget, bidders=3,
                     amount_tax_basis="included", estimated_value_tax_basis="included")
    return CallSeries.objects.get()


@pytest.mark.parametrize("role", ROLES)
def test_the_series_page_shows_the_history_the_chart_and_the_prediction_to_everyone(client_as, role, series):
    page = client_as(role).get(reverse("series:detail", args=[series.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "株式会社みなと企画" in html and "96.2%" in html and "<svg" in html
    assert "予定（過去実績から推定）" in html and "過去3回: 毎年5月上旬に公告" in html
    assert "2026-04-08〜2026-06-07" in html


def test_a_missing_series_is_404(client):
    assert client.get(reverse("series:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_upcoming_page_lists_predictions_with_their_basis_and_filters(client_as, role, series):
    client = client_as(role)
    page = client.get(reverse("series:upcoming")).content.decode()
    assert "観光プロモーション業務委託" in page and "過去3回: 毎年5月上旬に公告" in page
    assert "観光プロモーション" in client.get(reverse("series:upcoming"), {"prefecture": "13", "month": "5"}).content.decode()
    assert "観光プロモーション" not in client.get(reverse("series:upcoming"), {"month": "9"}).content.decode()
    assert "観光プロモーション" not in client.get(reverse("series:upcoming"), {"prefecture": "27"}).content.decode()
    assert "観光プロモーション" not in client.get(reverse("series:upcoming"), {"kind": "grant"}).content.decode()


def test_a_prediction_whose_window_has_passed_is_not_upcoming(client, series, time_machine):
    time_machine.move_to(datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC))
    assert "観光プロモーション" not in client.get(reverse("series:upcoming")).content.decode()


def test_predicted_calls_are_in_a_separate_home_section_and_never_in_search_counts(search_engine, client, series):
    home = client.get(reverse("home"))
    assert home.context["open_count"] == 0 and home.context["notice_count"] == 3
    assert "過去実績から推定した予定" in home.content.decode()
    search = client.get(reverse("notices:list"), {"q": "観光プロモーション"})
    assert search.context["page"].paginator.count == 3
    assert "予定（過去実績から推定）" not in search.content.decode()
    api = client.get("/api/v1/notices", {"q": "観光プロモーション"}).json()
    assert api["count"] == 3


def test_the_notice_page_lists_other_years_and_links_its_series(client, series):
    notice = series.editions.order_by("notice__published_on").first().notice
    page = client.get(reverse("notices:detail", args=[notice.pk]))
    assert len(page.context["other_years"]) == 2
    assert reverse("series:detail", args=[series.pk]) in page.content.decode()


def test_the_api_lists_series_editions_and_predictions(client, series):
    listing = client.get("/api/v1/series", {"prefecture": "13"}).json()
    assert listing["count"] == 1 and listing["results"][0]["edition_count"] == 3
    detail = client.get(f"/api/v1/series/{series.pk}").json()
    assert [e["award_ratio"] for e in detail["editions"]] == [0.96, 0.9615, 0.963]
    assert detail["prediction"] == {
        "estimated": True, "fiscal_year": 2026, "published_from": "2026-04-08", "published_on": "2026-05-08",
        "published_to": "2026-06-07", "budget_yen": 5_612_000, "budget_low_yen": 5_051_000, "budget_high_yen": 6_173_000,
        "basis": "過去3回: 毎年5月上旬に公告",
    }
    upcoming = client.get("/api/v1/series/upcoming", {"month": 5}).json()
    assert [s["id"] for s in upcoming["results"]] == [series.pk]
    assert client.get("/api/v1/series/999999").status_code == 404
    assert client.get("/api/v1/series/upcoming", {"month": 13}).status_code == 422


def test_the_upcoming_page_reads_a_constant_number_of_queries(client, series, django_assert_max_num_queries):
    with django_assert_max_num_queries(8) as few:
        client.get(reverse("series:upcoming"))
    for year in (2023, 2024, 2025):
        NoticeFactory(title=f"令和{year - 2018}年度 図書館システム保守", department="図書館", published_on=datetime.date(year, 6, 2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(reverse("series:upcoming")).context["page"].object_list) == 2
