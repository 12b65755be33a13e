import datetime

import pytest

from tests.alerts.helpers import notice, searcher
from tests.factories import AwardFactory
from tsunagu.alerts import services
from tsunagu.alerts.matcher import alerts_match
from tsunagu.alerts.models import Follow, FollowAlert
from tsunagu.notices.models import NoticeRevision

pytestmark = pytest.mark.django_db


@pytest.fixture
def followed():
    person = searcher()
    target = notice(title="観光プロモーション業務", application_deadline=datetime.date(2026, 6, 20))
    services.follow_set(user=person, notice=target, following=True)
    alerts_match()  # the notice's own creation is not a change
    return target


def kinds() -> list[str]:
    return list(FollowAlert.objects.order_by("pk").values_list("kind", flat=True))


def test_following_starts_from_the_notice_as_it_is(followed):
    assert kinds() == []


def test_a_cancellation_is_told_once(followed):
    followed.cancelled = True
    followed.save()
    alerts_match()
    followed.save()
    alerts_match()
    assert kinds() == ["cancelled"]


def test_a_deadline_change_is_told_once_with_old_and_new_dates(followed):
    followed.submission_deadline = datetime.date(2026, 7, 10)
    followed.save()
    alerts_match()
    alerts_match()
    [change] = FollowAlert.objects.all()
    assert change.kind == "deadline" and "2026-07-01" in change.detail and "2026-07-10" in change.detail


def test_a_published_result_is_told_once_with_the_winner(followed):
    AwardFactory(notice=followed, winner__name="株式会社みらい観光")
    alerts_match()
    alerts_match()
    [change] = FollowAlert.objects.all()
    assert change.kind == "awarded" and "株式会社みらい観光" in change.detail


def test_a_correction_notice_is_told_once(followed):
    followed.title = "【訂正】観光プロモーション業務"
    followed.save()
    NoticeRevision.objects.create(notice=followed, kind=NoticeRevision.Kind.CORRECTION, changes={"title": ["a", "b"]})
    alerts_match()
    alerts_match()
    assert kinds() == ["correction"]


def test_an_update_through_the_import_is_told_as_a_correction(followed, write_csv):
    from tests.notices.test_import_notices import HEADER, row
    from tsunagu.notices.services import notice_import

    path = write_csv([HEADER, row(**{"案件名": followed.title, "公告日": "2026/6/1", "概要": "内容を改めました",
                                     "参加申込締切": "2026/6/20", "提出期限": "2026/7/1"})])
    assert notice_import(path=path).updated == 1
    alerts_match()
    [change] = FollowAlert.objects.all()
    assert change.kind == "correction" and "概要" in change.detail


def test_someone_who_stopped_following_hears_nothing(followed):
    services.follow_set(user=Follow.objects.get().user, notice=followed, following=False)
    followed.cancelled = True
    followed.save()
    alerts_match()
    assert kinds() == []
