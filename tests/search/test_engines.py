"""The embedded index and the database's own answer alike: statuses, sort orders, paging and facet counts; and the
embedded index follows the data through commits, rollbacks, awards and rebuilds."""

import datetime
import random
from pathlib import Path

import pytest
from django.db import transaction
from django.utils import timezone

from tests.factories import AwardFactory, NoticeFactory, municipality
from tsunagu.notices.models import Notice, NoticeKind, NoticeStatus
from tsunagu.search import engine
from tsunagu.search.criteria import CLOSING_SOON, SearchFilters
from tsunagu.search.index import search_index_check, search_index_rebuild
from tsunagu.search.models import IndexChange
from tsunagu.search.selectors import notice_search

D = datetime.date


def _corpus(seed: int = 7) -> list[Notice]:
    """Notices in every status, with ties in every sort key, missing deadlines and budgets."""
    rng = random.Random(seed)
    places = [municipality("131016"), municipality("011002"), municipality("132012")]
    today = timezone.localdate()
    notices = []
    for i in range(40):
        published = today + datetime.timedelta(days=rng.choice([-60, -30, -3, 0, 5]))
        deadline = rng.choice([None, today - datetime.timedelta(days=2), today, today + datetime.timedelta(days=3),
                               today + datetime.timedelta(days=20)])
        notices.append(NoticeFactory(
            title=rng.choice(["福祉計画策定", "観光案内", "福祉 観光 連携", "橋梁点検"]) + str(i % 3),
            municipality=rng.choice(places), kind=rng.choice([NoticeKind.PROPOSAL, NoticeKind.OPEN_TENDER]),
            published_on=published, submission_deadline=deadline, cancelled=rng.random() < 0.1,
            budget_yen=rng.choice([None, 1_000_000, 5_000_000]), npo_eligible=rng.choice([None, True, False]),
            categories=rng.sample(["福祉", "観光", "DX"], rng.randint(0, 2))))
    for notice in rng.sample(notices, 5):
        AwardFactory(notice=notice)
    return notices


def _both(settings, **kwargs):
    """(what the embedded index says, what the database says) for the same search."""
    answers = []
    for name in ("tantivy", "database"):
        settings.SEARCH_ENGINE = name
        search_index_rebuild()  # the notices were written with the default engine
        result = notice_search(**kwargs)
        statuses = {n.pk: n.status for n in result.notices[:]}
        answers.append((result.notices.ids(), result.facets(municipalities=True), result.notices.count(), statuses))
    return answers


SEARCHES = [
    {}, {"text": "福祉"}, {"text": "福祉", "sort": "deadline"}, {"sort": "deadline"}, {"sort": "newest"},
    {"text": "観光 -橋梁", "sort": "newest"}, {"filters": SearchFilters(status=CLOSING_SOON), "sort": "deadline"},
    *({"filters": SearchFilters(status=s.value), "sort": "deadline"} for s in NoticeStatus),
    {"filters": SearchFilters(prefecture="13", npo_eligible=True), "sort": "newest"},
    {"filters": SearchFilters(category="DX", budget_min=2_000_000), "sort": "deadline"},
    {"filters": SearchFilters(deadline_from=timezone.localdate()), "sort": "deadline"},
]


@pytest.mark.django_db
@pytest.mark.parametrize("search", SEARCHES)
def test_both_engines_give_the_same_order_counts_and_facets(settings, search):
    _corpus()
    (ids, facets, count, statuses), (db_ids, db_facets, db_count, db_statuses) = _both(settings, **search)
    assert count == db_count == len(ids)
    assert facets == db_facets
    assert statuses == db_statuses
    if search.get("sort") in ("deadline", "newest"):  # relevance may break ties differently; these are total orders
        assert ids == db_ids
    else:
        assert set(ids) == set(db_ids)


@pytest.mark.django_db
def test_the_budget_order_puts_the_largest_first_and_unknown_amounts_last(settings):
    _corpus()
    budgets = [n.budget_yen for n in notice_search(sort="budget").notices]
    known = [b for b in budgets if b is not None]
    assert known == sorted(known, reverse=True) and budgets == known + [None] * (len(budgets) - len(known))


@pytest.mark.django_db
@pytest.mark.usefixtures("search_engine")
def test_pages_cover_every_match_once_in_order():
    _corpus()
    hits = notice_search(text="福祉", sort="deadline").notices
    pages = [n.pk for start in range(0, hits.count(), 7) for n in hits[start : start + 7]]
    assert pages == hits.ids() and len(set(pages)) == hits.count() > 7


@pytest.mark.django_db
def test_facets_told_the_page_read_it_while_counting_and_give_the_same_page_and_counts(django_assert_num_queries):
    _corpus()
    plain = notice_search(text="福祉", sort="deadline")
    facets, page = plain.facets(), [n.pk for n in plain.notices[7:14]]
    found = notice_search(text="福祉", sort="deadline")
    assert found.facets(page=slice(7, 14)) == facets
    with django_assert_num_queries(0):  # the page was read beside the counting
        assert [n.pk for n in found.notices[7:14]] == page
        assert [n.pk for n in found.notices[7:9]] == page[:2]  # a last page, cut at the count
    assert [n.pk for n in found.notices[0:3]] == [n.pk for n in plain.notices[0:3]]  # another page is read anew
    assert found.facets(page=slice(10_000, 10_020)) == facets and found.notices[10_000:10_020] == []


@pytest.mark.django_db
def test_the_status_in_the_index_follows_an_award_and_a_cancellation():
    notice = NoticeFactory(title="図書館運営", published_on=D(2025, 1, 6))
    assert notice_search(text="図書館", filters=SearchFilters(status="open")).notices.count() == 1
    AwardFactory(notice=notice)
    assert notice_search(text="図書館", filters=SearchFilters(status="awarded")).notices.count() == 1
    notice.cancelled = True
    notice.save()
    assert notice_search(text="図書館").facets()["status"] == {"cancelled": 1}


@pytest.mark.django_db
def test_an_award_import_moves_its_notice_to_results_published(write_csv):
    from tsunagu.notices.services import award_import

    notice = NoticeFactory(title="清掃業務", external_id="R7-1", published_on=D(2025, 1, 6))
    assert notice_search(text="清掃").facets()["status"] == {"open": 1}
    result = award_import(path=write_csv([["団体コード", "管理ID", "落札者"], [notice.municipality.lg_code, "R7-1", "株式会社ひかり"]]))
    assert result.created == 1, result.errors
    assert notice_search(text="清掃").facets()["status"] == {"awarded": 1}


@pytest.mark.django_db
def test_a_committed_write_is_in_the_index_at_once_and_a_rolled_back_one_never(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        kept = NoticeFactory(title="港湾整備")
    assert not IndexChange.objects.exists()  # applied when the transaction committed
    assert engine.stored_ids() == {kept.pk}
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            NoticeFactory(title="港湾清掃")
            raise RuntimeError("the import failed")
    assert not callbacks and not IndexChange.objects.exists()
    assert notice_search(text="港湾").notices.ids() == [kept.pk]
    with django_capture_on_commit_callbacks(execute=True):
        kept.delete()
    assert engine.stored_ids() == set()
    assert search_index_check() == {"missing": [], "orphaned": [], "stale": []}


@pytest.mark.django_db
def test_changes_recorded_by_another_process_are_applied_before_a_search():
    notice = NoticeFactory(title="移住定住")
    assert IndexChange.objects.filter(notice_id=notice.pk).exists()  # inside the test's transaction: not applied yet
    assert notice_search(text="定住").notices.ids() == [notice.pk]
    assert not IndexChange.objects.exists()


@pytest.mark.django_db
def test_the_searcher_is_kept_while_the_index_is_unchanged_and_renewed_after_a_commit():
    NoticeFactory(title="移住定住")
    first = notice_search(text="定住").notices.searcher
    assert notice_search(text="定住").notices.searcher is first
    NoticeFactory(title="定住促進")
    engine.apply_changes()
    renewed = notice_search(text="定住").notices
    assert renewed.searcher is not first and renewed.count() == 2


@pytest.mark.django_db
def test_a_commit_by_another_process_is_seen_by_the_next_search():
    import tantivy

    notice = NoticeFactory(title="移住定住")
    engine.apply_changes()
    assert notice_search(text="定住").notices.ids() == [notice.pk]
    other = tantivy.Index(engine.SCHEMA, path=str(Path(engine.settings.SEARCH_INDEX_DIR) / engine.SCHEMA_VERSION))
    writer = other.writer(heap_size=15_000_000, num_threads=1)  # another process's writer, as the queue worker has
    writer.delete_documents_by_term("id", notice.pk)
    writer.commit()
    writer.wait_merging_threads()
    assert notice_search(text="定住").notices.ids() == []


@pytest.mark.django_db
def test_a_rebuild_restores_an_index_that_lost_documents():
    from django.core.management import call_command

    notices = [NoticeFactory(title=f"防災訓練{i}") for i in range(3)]
    engine.apply_changes()
    with engine._writer() as writer:
        writer.delete_documents_by_term("id", notices[0].pk)
        writer.commit()
    assert search_index_check()["missing"] == [notices[0].pk]
    call_command("rebuild_search_index")
    assert search_index_check() == {"missing": [], "orphaned": [], "stale": []}
    assert notice_search(text="防災").notices.count() == 3


@pytest.mark.django_db
def test_a_busy_index_delays_changes_but_never_fails_a_write_or_a_search(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(engine, "LOCK_WAIT_SECONDS", 0.1)
    monkeypatch.setattr(engine, "SEARCH_WAIT_SECONDS", 0.1)
    first = NoticeFactory(title="公園管理")
    engine.apply_changes()
    with engine._writer():  # another process (a rebuild, say) holds the writer
        with django_capture_on_commit_callbacks(execute=True):
            second = NoticeFactory(title="公園清掃")
        assert notice_search(text="公園").notices.ids() == [first.pk]  # answered from the index as it stands
        assert IndexChange.objects.filter(notice_id=second.pk).exists()  # kept for later
    assert set(notice_search(text="公園").notices.ids()) == {first.pk, second.pk}


@pytest.mark.django_db
def test_the_check_finds_a_notice_whose_edit_the_index_missed(capsys):
    from django.core.management import CommandError, call_command

    notice = NoticeFactory(title="観光振興")
    engine.apply_changes()
    Notice.objects.filter(pk=notice.pk).update(title="防災計画", updated_at=notice.updated_at + datetime.timedelta(seconds=1))
    assert search_index_check()["stale"] == [notice.pk]  # an update() sends no signal: the index missed it
    with pytest.raises(CommandError) as failure:
        call_command("rebuild_search_index", "--check")
    assert "食い違って" in str(failure.value) and "古い内容の索引 1件" in capsys.readouterr().out
    call_command("rebuild_search_index")
    assert search_index_check() == {"missing": [], "orphaned": [], "stale": []}
    assert notice_search(text="防災").notices.ids() == [notice.pk]


@pytest.mark.django_db
def test_a_rebuild_removes_the_folders_of_earlier_schemas_only(settings):
    root = Path(settings.SEARCH_INDEX_DIR)
    (root / "v0123456789ab").mkdir(parents=True)
    (root / "v0123456789ab" / "meta.json").write_text("{}")
    (root / "notes").mkdir()
    search_index_rebuild()
    assert sorted(p.name for p in root.iterdir()) == sorted(["notes", engine.SCHEMA_VERSION])


@pytest.mark.django_db
def test_migrate_builds_the_index_when_its_folder_is_missing(settings, tmp_path):
    from django.core.management import call_command

    notice = NoticeFactory(title="文化祭運営")
    engine.apply_changes()
    settings.SEARCH_INDEX_DIR = tmp_path / "after-an-upgrade"  # as if the schema (and so the folder) had changed
    assert not engine.index_is_built()
    call_command("migrate", verbosity=0)
    assert engine.index_is_built() and notice_search(text="文化祭").notices.ids() == [notice.pk]



@pytest.mark.django_db
def test_a_notice_that_cannot_be_indexed_is_left_out_and_searching_goes_on(monkeypatch, caplog):
    good, bad = NoticeFactory(title="公園管理"), NoticeFactory(title="公園清掃")
    real = engine.notice_document

    def broken(notice, **kwargs):
        if notice.pk == bad.pk:
            raise ValueError("an unexpected value")
        return real(notice, **kwargs)

    monkeypatch.setattr(engine, "notice_document", broken)
    assert notice_search(text="公園").notices.ids() == [good.pk]
    assert not IndexChange.objects.exists() and "could not be indexed" in caplog.text
    assert search_index_check()["missing"] == [bad.pk]


@pytest.mark.django_db
def test_the_api_refuses_a_budget_beyond_the_index_range(client):
    response = client.get("/api/v1/notices", {"budget_min": str(10**19)})
    assert response.status_code == 422


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_a_large_batch_of_changes_the_change_log_is_vacuumed_so_searches_do_not_scan_dead_rows(monkeypatch):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the dead rows of removed changes are PostgreSQL's (SQLite reuses the pages)")
    monkeypatch.setattr(engine, "VACUUM_ABOVE_BYTES", 0)  # any page at all: as if a large import had gone through
    for i in range(60):  # each write records a change and applies it on commit
        NoticeFactory(title=f"防災訓練{i}")
    with transaction.atomic():  # 60 more, applied (and the grown log vacuumed) once this commits
        engine.record_changes(list(Notice.objects.values_list("pk", flat=True)))
    assert not IndexChange.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size(%s)", [IndexChange._meta.db_table])
        assert cursor.fetchone()[0] == 0  # vacuumed: the emptied table gave its pages back
    assert notice_search(text="防災").notices.count() == 60
