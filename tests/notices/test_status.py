import datetime

import pytest
from django.utils import translation

from tests.factories import AwardFactory, NoticeFactory
from tsunagu.notices.models import Notice, NoticeKind, NoticeStatus

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 5, 1)
D = datetime.date


@pytest.mark.parametrize(("fields", "expected"), [
    ({"published_on": D(2025, 5, 2)}, NoticeStatus.PLANNED),
    ({"published_on": D(2025, 4, 1)}, NoticeStatus.OPEN),
    ({"published_on": D(2025, 4, 1), "submission_deadline": D(2025, 5, 1)}, NoticeStatus.OPEN),
    ({"published_on": D(2025, 4, 1), "submission_deadline": D(2025, 4, 30)}, NoticeStatus.CLOSED),
    ({"published_on": D(2025, 4, 1), "application_deadline": D(2025, 4, 20), "submission_deadline": D(2025, 5, 10)}, NoticeStatus.OPEN),
    ({"published_on": D(2025, 4, 1), "application_deadline": D(2025, 4, 20)}, NoticeStatus.CLOSED),
    ({"published_on": D(2025, 4, 1), "enquiry_deadline": D(2025, 4, 10)}, NoticeStatus.OPEN),
    ({"published_on": D(2025, 4, 1), "cancelled": True}, NoticeStatus.CANCELLED),
])
def test_status_follows_the_dates_the_same_in_python_and_in_sql(fields, expected):
    notice = NoticeFactory(**fields)
    assert notice.status_on(TODAY, has_award=False) == expected
    assert Notice.objects.with_status(TODAY).get(pk=notice.pk).current_status == expected


def test_a_published_result_wins_over_the_dates_and_cancellation_wins_over_all():
    award = AwardFactory(notice__submission_deadline=D(2025, 4, 10))
    assert Notice.objects.with_status(TODAY).get().current_status == NoticeStatus.AWARDED
    Notice.objects.update(cancelled=True)
    assert Notice.objects.with_status(TODAY).get(pk=award.notice_id).current_status == NoticeStatus.CANCELLED


@pytest.mark.parametrize(("published", "year"), [(D(2026, 3, 31), 2025), (D(2026, 4, 1), 2026)])
def test_the_fiscal_year_runs_from_april_to_march(published, year):
    assert NoticeFactory.build(published_on=published).fiscal_year == year


@pytest.mark.parametrize("language", ["ja", "en"])
def test_the_kind_label_is_the_kinds_display_name_in_the_active_language(language):
    with translation.override(language):
        for kind in NoticeKind.values:
            notice = NoticeFactory.build(kind=kind)
            assert str(notice.kind_label) == str(notice.get_kind_display())
        assert str(NoticeFactory.build(kind=NoticeKind.PROPOSAL).kind_label) == (
            "公募型プロポーザル" if language == "ja" else "Open proposal competition")
