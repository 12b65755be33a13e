"""`notices_by_id`, the precompiled read of a page of search results, gives what the ORM gives."""

import datetime

import pytest

from tests.factories import NoticeFactory, municipality
from tsunagu.notices import selectors
from tsunagu.notices.models import Notice
from tsunagu.notices.selectors import notices_by_id

pytestmark = pytest.mark.django_db


def _fields(notice: Notice) -> dict:
    return {field.attname: getattr(notice, field.attname) for field in Notice._meta.concrete_fields}


def test_every_field_and_related_object_equals_the_orms_and_has_its_python_type():
    full = NoticeFactory(
        municipality=municipality("271004"), categories=["福祉", "子育て"], npo_eligible=True, cancelled=True,
        budget_yen=12_345_678, submission_deadline=datetime.date(2025, 6, 30),
        submission_deadline_time=datetime.time(17, 0), description="概要\n二行目", source_url="https://example.jp/a",
    )
    bare = NoticeFactory(npo_eligible=None)
    expected = Notice.objects.select_related("municipality__prefecture").in_bulk([full.pk, bare.pk])

    found = notices_by_id([bare.pk, full.pk])

    assert set(found) == {full.pk, bare.pk}
    for pk, notice in found.items():
        assert _fields(notice) == _fields(expected[pk])
        assert notice.municipality.name == expected[pk].municipality.name
        assert notice.municipality.prefecture.name == expected[pk].municipality.prefecture.name
        assert not notice._state.adding and notice._state.db == "default"
    read = found[full.pk]
    assert read.categories == ["福祉", "子育て"] and read.npo_eligible is True and read.cancelled is True
    assert isinstance(read.published_on, datetime.date) and read.submission_deadline_time == datetime.time(17, 0)
    assert isinstance(read.created_at, datetime.datetime) and read.created_at.tzinfo is not None
    assert found[bare.pk].npo_eligible is None and found[bare.pk].budget_yen is None


def test_related_objects_are_read_with_the_row_not_queried_again(django_assert_num_queries):
    ids = [NoticeFactory().pk for _ in range(3)]
    with django_assert_num_queries(1):
        found = notices_by_id(ids)
        names = {n.municipality.prefecture.name for n in found.values()}
    assert names == {"東京都"}


def test_ids_that_no_longer_exist_are_left_out_and_a_repeated_id_gives_one_notice():
    kept = NoticeFactory()
    gone = NoticeFactory()
    gone_pk = gone.pk
    gone.delete()
    assert list(notices_by_id([kept.pk, gone_pk, kept.pk])) == [kept.pk]
    assert notices_by_id([]) == {}


def test_more_ids_than_one_statement_takes_are_read_in_chunks(monkeypatch):
    monkeypatch.setattr(selectors, "_ID_CHUNK", 2)
    ids = [NoticeFactory().pk for _ in range(5)]
    assert set(notices_by_id(ids)) == set(ids)
