"""Each search engine against the definition: CI runs this file on SQLite and on PostgreSQL, and every test runs
with the embedded index and with the database's own, so passing means all of them return identical result sets."""

import random

import pytest
from django.core.management import call_command
from django.db import connection

from tests.factories import NoticeFactory, municipality
from tsunagu.notices.models import Notice
from tsunagu.search.analysis import parse_query, reference_match
from tsunagu.search.documents import notice_field_texts
from tsunagu.search.index import search_index_check
from tsunagu.search.selectors import notice_search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("search_engine")]

WORDS = ["子ども", "子供", "こども", "福祉", "計画", "観光", "橋梁", "港湾", "障害", "障がい", "ICT", "ｺﾝｻﾙ", "令和7年度",
         "R8年度", "2025年度", "地域", "支援", "業務", "委託", "・", "（", "）", "-", "DX", "x", "1", "23"]


def _corpus(n: int, seed: int) -> list[Notice]:
    rng = random.Random(seed)
    places = [municipality("131016"), municipality("011002"), municipality("271004")]
    notices = []
    for i in range(n):
        title = "".join(rng.choice(WORDS) for _ in range(rng.randint(1, 5)))
        description = " ".join("".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))) for _ in range(rng.randint(0, 4)))
        notices.append(NoticeFactory(title=f"{title}{i}", description=description, municipality=rng.choice(places),
                                     department=rng.choice(["福祉課", "観光課", ""]), categories=rng.sample(["福祉", "観光", "DX"], 1)))
    return notices


QUERIES = ["子ども", "子供", "福祉", "祉", "橋", "港", "ict", "ＩＣＴ", "コンサル", "令和7年度", "2025年度", "r8", "福祉 -観光",
           "観光 OR 港湾", '"福祉計画"', "地域支援", "x", "1", "23", "東京都", "千代田", "札幌市", "公募型プロポーザル", "プロポ",
           "福祉課", "業務委託 子ども", "-福祉", "・", "(子ども)", "DX-1", "障がい 計画 OR 支援"]


@pytest.mark.parametrize("raw", QUERIES)
def test_the_index_returns_exactly_what_the_definition_says(raw):
    notices = _corpus(60, seed=3)
    query = parse_query(raw)
    expected = {n.pk for n in notices if reference_match(query, notice_field_texts(n))}
    found = set(notice_search(text=raw).notices.ids())
    assert found == expected, f"{connection.vendor}: {raw}"


def test_the_index_follows_saves_edits_and_deletions():
    notice = NoticeFactory(title="図書館清掃業務")
    assert list(notice_search(text="図書館").notices) == [notice]
    notice.title = "公園管理業務"
    notice.save()
    assert not notice_search(text="図書館").notices.exists()
    assert list(notice_search(text="公園").notices) == [notice]
    notice.delete()
    assert not notice_search(text="公園").notices.exists()
    assert search_index_check() == {"missing": [], "orphaned": [], "stale": []}


def test_imported_notices_are_searchable_in_the_same_transaction(write_csv):
    from tsunagu.notices.services import notice_import

    notice_import(path=write_csv([["団体コード", "案件名", "公募種別", "公告日"], ["131016", "移住定住促進業務", "プロポーザル", "2025/4/1"]]))
    assert notice_search(text="定住").notices.count() == 1


def test_a_term_at_the_end_of_a_very_long_description_is_found():
    notice = NoticeFactory(title="長い仕様書", description="あいうえお" * 8000 + "終端の語句")  # ~40,000 tokens
    assert list(notice_search(text="終端の語句").notices) == [notice]
    assert list(notice_search(text="長い 終端").notices) == [notice]


def test_the_title_ranks_above_the_description_then_nearer_deadlines():
    import datetime

    in_body = NoticeFactory(title="別件", description="福祉の話")
    late = NoticeFactory(title="福祉計画", submission_deadline=datetime.date(2025, 6, 1))
    soon = NoticeFactory(title="福祉計画策定", submission_deadline=datetime.date(2025, 5, 1))
    ranked = list(notice_search(text="福祉").notices)
    assert ranked[-1] == in_body
    assert set(ranked[:2]) == {late, soon}


def _empty_the_index(search_engine: str) -> None:
    if search_engine == "tantivy":
        from tsunagu.search import engine

        engine.apply_changes()
        with engine._writer() as writer:
            writer.delete_all_documents()
            writer.commit()
        return
    with connection.cursor() as cursor:
        table = "search_notice_fts" if connection.vendor == "sqlite" else "search_notice_document"
        cursor.execute(f"DELETE FROM {table}")


def test_rebuild_and_check_commands(search_engine):
    NoticeFactory(title="港湾整備")
    _empty_the_index(search_engine)
    assert search_index_check()["missing"]
    call_command("rebuild_search_index")
    assert search_index_check() == {"missing": [], "orphaned": [], "stale": []}
    assert notice_search(text="港湾").notices.count() == 1
