"""Series membership follows every write of a notice: created, imported, edited, deleted; linking is idempotent."""

import datetime

import pytest

from tests.factories import NoticeFactory, municipality
from tsunagu.notices.models import Notice
from tsunagu.series.models import CallSeries, SeriesEdition
from tsunagu.series.services import series_link, series_link_all

pytestmark = pytest.mark.django_db


def yearly(title="子育て支援アプリ運用業務委託", years=(2022, 2023, 2024), **kwargs):
    return [NoticeFactory(title=f"令和{y - 2018}年度 {title}", published_on=datetime.date(y, 5, 8), department="こども政策課",
                          **kwargs) for y in years]


def test_editions_of_a_yearly_call_share_one_series():
    notices = yearly()
    series = {n.series_edition.series_id for n in Notice.objects.filter(pk__in=[n.pk for n in notices])}
    assert len(series) == 1
    one = CallSeries.objects.get(pk=series.pop())
    assert one.edition_count == 3 and one.title == "令和6年度 子育て支援アプリ運用業務委託"


def test_another_department_or_municipality_is_another_series():
    NoticeFactory(title="令和6年度 図書館運営業務", department="生涯学習課")
    NoticeFactory(title="令和7年度 図書館運営業務", department="文化振興課", published_on=datetime.date(2026, 4, 1))
    NoticeFactory(title="令和7年度 図書館運営業務", department="生涯学習課", municipality=municipality("131024"))
    assert CallSeries.objects.recurring().count() == 0


def test_linking_again_changes_nothing():
    notices = yearly()
    before = list(SeriesEdition.objects.order_by("notice_id").values_list("notice_id", "series_id"))
    assert series_link(notice_ids=[n.pk for n in notices]) == 0
    assert series_link_all() == 0
    assert list(SeriesEdition.objects.order_by("notice_id").values_list("notice_id", "series_id")) == before
    assert CallSeries.objects.count() == 1


def test_a_deleted_edition_leaves_its_series_and_an_empty_series_goes():
    first, second, third = yearly()
    series = CallSeries.objects.get()
    third.delete()
    series.refresh_from_db()
    assert series.edition_count == 2 and series.last_published_on == second.published_on
    first.delete()
    second.delete()
    assert not CallSeries.objects.exists()


def test_an_edited_title_moves_the_notice_to_its_new_series():
    first, second, third = yearly()
    third.title = "令和6年度 高齢者見守り業務委託"
    third.save()
    assert CallSeries.objects.get(editions__notice=first).edition_count == 2
    assert CallSeries.objects.get(editions__notice=third).edition_count == 1
    third.title = "令和6年度 子育て支援アプリ運用業務委託"
    third.save()
    assert CallSeries.objects.get(editions__notice=third).edition_count == 3


def test_a_slightly_different_title_joins_when_the_description_is_the_same():
    text = "子育て支援アプリの運用と保守を行う事業者を公募型プロポーザル方式で選定します。"
    a = NoticeFactory(title="令和6年度 子育て支援アプリ運用業務委託", description=text, published_on=datetime.date(2024, 5, 1))
    b = NoticeFactory(title="令和7年度 子育て支援アプリ運用保守業務委託", description=text, published_on=datetime.date(2025, 5, 1))
    c = NoticeFactory(title="令和7年度 子育て支援アプリ運用保守業務委託 その2", description="まったく別の内容です。",
                      published_on=datetime.date(2025, 6, 1))
    assert a.series_edition.series_id == Notice.objects.get(pk=b.pk).series_edition.series_id
    assert Notice.objects.get(pk=c.pk).series_edition.series_id != a.series_edition.series_id


def test_imported_rows_join_their_series(write_csv):
    from django.core.management import call_command

    yearly(years=(2022, 2023))
    header = ["団体コード", "案件名", "公募種別", "公告日", "担当課"]
    path = write_csv([header, ["131016", "令和6年度 子育て支援アプリ運用業務委託", "公募型プロポーザル", "2024-05-10", "こども政策課"]])
    call_command("import_notices", str(path))
    series = CallSeries.objects.get()
    assert series.edition_count == 3 and series.predicted_fiscal_year == 2025


def test_demo_data_comes_with_linked_series_and_takes_them_when_deleted():
    from tsunagu.notices.demo import demo_delete, demo_generate

    demo_generate(notices=400, seed=3, today=datetime.date(2026, 6, 1))
    assert SeriesEdition.objects.count() == Notice.objects.count() == 400
    recurring = CallSeries.objects.recurring()
    assert recurring.count() >= 10
    assert recurring.filter(predicted_on__isnull=False).count() == recurring.count()
    demo_delete()
    assert not CallSeries.objects.exists() and not SeriesEdition.objects.exists()


def test_a_call_published_from_collection_joins_last_years_edition(cast):
    from django.utils import timezone

    from tsunagu.collection.entry import candidate_publish, entry_submit
    from tsunagu.collection.models import Candidate, Source

    last_year = NoticeFactory(title="令和7年度 子育て支援アプリ運用業務委託", department="子ども支援課",
                              published_on=datetime.date(2025, 4, 3))
    source = Source.objects.create(municipality=municipality("131016"), url="https://www.city.chiyoda.lg.jp/keiyaku/")
    candidate = Candidate.objects.create(source=source, municipality=source.municipality, title="子育て支援アプリ", key="k1",
                                         url="https://www.city.chiyoda.lg.jp/p/1.html", found_at=timezone.now())
    entry_submit(candidate=candidate, by=cast.worker, fields={
        "title": "R8年度 子育て支援アプリ運用業務委託", "kind": "proposal", "published_on": "令和8年4月1日",
        "submission_deadline": "2026/4/25", "department": "子ども支援課"})
    published = candidate_publish(candidate=candidate, by=cast.second)
    series = CallSeries.objects.get(editions__notice=last_year)
    assert series.edition_count == 2 and published.series_edition.series_id == series.pk
