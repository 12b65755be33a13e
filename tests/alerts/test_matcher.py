import datetime
import random

import pytest

from tests.alerts.helpers import notice, saved, searcher
from tests.factories import NoticeFactory, municipality
from tsunagu.alerts.criteria import canonical_query_string, criteria_of
from tsunagu.alerts.matcher import alerts_match, saved_searches_match
from tsunagu.alerts.models import AlertMatch, NoticeChange
from tsunagu.core.errors import DomainError
from tsunagu.notices.models import NoticeKind
from tsunagu.search.selectors import notice_search

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 1, 10, 0, tzinfo=datetime.UTC))


def test_a_searcher_gets_one_alert_per_notice_and_never_again_when_it_changes(search_engine):
    person = searcher()
    search = saved(person, "q=観光")
    hit = notice(title="観光プロモーション業務")
    notice(title="庁舎清掃業務")
    assert alerts_match().matches == 1
    hit.title = "【訂正】観光プロモーション業務"
    hit.save()
    assert alerts_match().matches == 0 and NoticeChange.objects.count() == 0
    assert list(AlertMatch.objects.values_list("saved_search", "notice")) == [(search.pk, hit.pk)]


def test_only_notices_stored_after_the_search_was_saved_alert(time_machine):
    old = NoticeFactory(title="観光案内所運営")
    time_machine.shift(datetime.timedelta(minutes=1))
    person = searcher()
    saved(person, "q=観光")
    old.description = "観光の拠点"
    old.save()  # written again, but stored before the search existed
    notice(title="観光PR")
    assert alerts_match().matches == 1
    assert AlertMatch.objects.get().notice.title == "観光PR"


def test_a_paused_search_records_nothing():
    search = saved(searcher(), "q=観光")
    search.paused = True
    search.save()
    notice(title="観光PR")
    assert alerts_match().matches == 0


def test_the_same_conditions_saved_by_two_people_alert_each_of_them_once():
    first, second = saved(searcher(), "q=観光"), saved(searcher(), "q=観光")
    found = notice(title="観光PR")
    alerts_match()
    assert set(AlertMatch.objects.values_list("saved_search", "notice")) == {(first.pk, found.pk), (second.pk, found.pk)}


VOCABULARY = ["観光", "子育て", "福祉", "プロモーション", "清掃", "R7-001", "地域 福祉", "こども", "令和7年度", "DX", "公園"]
TITLES = ["観光プロモーション業務", "子ども食堂運営支援", "地域福祉計画策定支援", "庁舎清掃業務（R7-001）", "令和7年度 公園管理",
          "2025年度 DX推進", "観光案内所の指定管理者", "福祉・子育て相談窓口", "こども図書館運営", "地域 福祉 マップ"]


def _random_query_string(rng: random.Random) -> str:
    words = rng.sample(VOCABULARY, rng.randint(1, 2))
    if rng.random() < 0.2:
        words[-1] = "-" + words[-1]
    params = {"q": " ".join(f'"{w}"' if " " in w else w for w in words)}
    if rng.random() < 0.3:
        params["kind"] = rng.choice([NoticeKind.PROPOSAL, NoticeKind.DESIGNATED_MANAGER])
    if rng.random() < 0.3:
        params["prefecture"] = rng.choice(["13", "01"])
    if rng.random() < 0.2:
        params["budget_min"] = "1000000"
    if rng.random() < 0.2:
        params["status"] = rng.choice(["open", "closing_soon", "closed", "planned"])
    if rng.random() < 0.2:
        params["npo"] = rng.choice(["yes", "no"])
    from urllib.parse import urlencode

    return urlencode(params)


def test_the_matcher_finds_exactly_what_the_plain_search_finds_among_the_new_notices(search_engine):
    rng = random.Random(7)
    NoticeFactory(title="観光プロモーション業務（前から）")  # in the index, not new
    new = []
    for i, title in enumerate(TITLES * 2):
        deadline = datetime.date(2026, 6, 1) + datetime.timedelta(days=rng.randint(-10, 30))
        new.append(notice(title=f"{title} {i}", municipality=municipality(rng.choice(["131016", "011002"])),
                          kind=rng.choice([NoticeKind.PROPOSAL, NoticeKind.DESIGNATED_MANAGER]),
                          budget_yen=rng.choice([None, 500_000, 3_000_000]), npo_eligible=rng.choice([None, True, False]),
                          published_on=rng.choice([datetime.date(2026, 5, 20), datetime.date(2026, 6, 10)]),
                          submission_deadline=max(deadline, datetime.date(2026, 6, 10)) if rng.random() < 0.2 else deadline))
    new_ids = {n.pk for n in new}
    person = searcher()
    searches = [saved(person, _random_query_string(rng), name=f"検索{i}") for i in range(40)]
    for search in searches:
        search.created_at = datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)  # every notice counts as new for it
    saved_searches_match(notice_ids=sorted(new_ids), searches=searches)
    assert 20 < AlertMatch.objects.count() < 40 * len(new_ids)  # the comparison below is not a trivial one
    for search in searches:
        criteria = criteria_of(search.query_string)
        expected = set(notice_search(text=criteria.text, filters=criteria.filters).notices.ids()) & new_ids
        got = set(AlertMatch.objects.filter(saved_search=search).values_list("notice_id", flat=True))
        assert got == expected, search.query_string


def test_conditions_are_stored_in_one_spelling_and_an_unreadable_one_is_named():
    assert canonical_query_string("page=3&sort=relevance&q=観光&kind=proposal&budget_min=") == "q=%E8%A6%B3%E5%85%89&kind=proposal"
    with pytest.raises(DomainError, match="締切（から）"):
        canonical_query_string("q=観光&deadline_from=2026-13-40")


def test_every_way_of_writing_notices_is_seen_by_the_matcher(write_csv):
    from tests.notices.test_import_notices import HEADER, row
    from tsunagu.notices.demo import demo_generate
    from tsunagu.notices.services import notice_import

    search = saved(searcher(), "")  # every notice
    result = demo_generate(notices=30, seed=1, today=datetime.date(2026, 6, 1))
    notice_import(path=write_csv([HEADER, row(**{"案件名": "取り込んだ公募", "公告日": "2026/6/1"})]))
    notice(title="画面から入力した公募")  # the ORM, as collection publishing and the admin write
    assert alerts_match().matches == result.notices + 2 == AlertMatch.objects.filter(saved_search=search).count()
