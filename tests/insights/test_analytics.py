import datetime
from decimal import Decimal

import pytest

from tests.factories import AwardFactory, NoticeFactory, municipality
from tests.insights import corpus
from tsunagu.insights.facts import facts_check, facts_rebuild
from tsunagu.insights.models import AwardFact, CategoryFact, NoticeFact
from tsunagu.insights.selectors import (
    analytics_for_municipality, analytics_for_search, selection_filtered,
)
from tsunagu.notices.models import Award, Notice, NoticeKind
from tsunagu.search.criteria import SearchFilters
from tsunagu.search.selectors import notice_search

pytestmark = pytest.mark.django_db
D = datetime.date


def counts(distribution) -> dict[str, int]:
    return {b.key: b.count for b in distribution.buckets if b.count}


def rows(breakdown) -> dict[str, tuple[int, int]]:
    return {b.key: (b.notices, b.awarded) for b in breakdown}


def test_every_number_of_the_hand_built_corpus_is_exact():
    cast = corpus.build()
    result = analytics_for_search()
    assert (result.notices, result.awarded, result.awards) == (6, 5, 6)
    assert counts(result.budget) == {"lt_1m": 2, "1m_3m": 1, "10m_30m": 1, "ge_100m": 1}
    assert result.budget.unknown == 1
    assert counts(result.ratio) == {"80_90": 1, "95_100": 1}
    assert result.ratio.median == Decimal("0.915")
    assert counts(result.bidders) == {"1": 1, "3": 1, "5_9": 2} and result.bidders.unknown == 1
    assert result.bidders.median == Decimal(4)
    assert rows(result.by_kind) == {"proposal": (3, 2), "open_tender": (2, 2), "grant": (1, 1)}
    assert rows(result.by_prefecture) == {"13": (4, 3), "01": (2, 2)}
    assert [b.label for b in result.by_prefecture] == ["東京都", "北海道"]
    assert rows(result.by_category) == {"観光": (3, 2), "広報": (1, 1), "DX": (1, 1), "福祉": (1, 1)}
    assert [(w.organisation, w.wins, w.total_amount, w.median_ratio) for w in result.top_winners] == [
        (cast["a"], 3, 13_600_000, Decimal("0.915")), (cast["b"], 2, 5_700_000, None), (cast["c"], 1, 300_000, None)]


def test_the_award_ratio_counts_only_awards_on_one_known_tax_basis_and_says_why_the_others_are_left_out():
    corpus.build()
    result = analytics_for_search()
    assert result.ratio.counted == 2 and result.ratio.unknown == 4
    assert result.ratio_missing == {"no_amount": 1, "no_estimate": 1, "basis_unknown": 1, "basis_differs": 1}


def test_the_fiscal_year_runs_from_april_to_march():
    corpus.build()  # published 2024-04-01 and 2025-03-31 are 2024年度; 2025-04-01 and 2026-03-31 are 2025年度
    result = analytics_for_search()
    assert rows(result.by_fiscal_year) == {"2024": (2, 2), "2025": (4, 3)}
    assert [b.label for b in result.by_fiscal_year] == ["2024年度", "2025年度"]


def test_a_search_is_counted_with_its_query_and_filters(search_engine):
    corpus.build()
    result = analytics_for_search(text="観光", filters=SearchFilters(prefecture="13"))
    assert (result.notices, result.awarded, result.awards) == (2, 1, 1)
    assert counts(result.budget) == {"1m_3m": 1, "ge_100m": 1}
    assert result.ratio.median == Decimal("0.88")
    assert analytics_for_search(text="観光 -案内所").notices == 2
    assert analytics_for_search(filters=SearchFilters(kind=NoticeKind.PROPOSAL)).awards == 2


def test_a_search_that_finds_nothing_counts_nothing(search_engine):
    corpus.build()
    result = analytics_for_search(text="存在しない語句")
    assert (result.notices, result.awards, result.top_winners, result.by_kind) == (0, 0, [], [])
    assert analytics_for_search(filters=SearchFilters(prefecture="47")).notices == 0


FILTERS = [
    {}, {"kind": "proposal"}, {"prefecture": "01"}, {"municipality": "131016"},
    {"category": "観光"}, {"category": "観"}, {"npo_eligible": True}, {"npo_eligible": False},
    {"status": "awarded"}, {"status": "open"}, {"status": "closed"}, {"status": "planned"}, {"status": "cancelled"},
    {"status": "closing_soon"}, {"deadline_from": D(2025, 5, 1)}, {"deadline_to": D(2025, 5, 1)},
    {"published_from": D(2025, 4, 1), "published_to": D(2026, 3, 31)}, {"budget_min": 1_000_000},
    {"budget_max": 1_000_000}, {"budget_min": 0, "kind": "open_tender", "prefecture": "13"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=[str(f) for f in FILTERS])
def test_the_facts_find_the_same_notices_as_the_search_for_every_filter(search_engine, filters, time_machine):
    time_machine.move_to(datetime.datetime(2025, 5, 5, 12, tzinfo=datetime.UTC))
    corpus.build()
    NoticeFactory(title="中止された公募", cancelled=True, published_on=D(2025, 4, 2), submission_deadline=D(2025, 5, 8))
    NoticeFactory(title="予定の公募", published_on=D(2025, 6, 1))
    f = SearchFilters(**filters)
    expected = set(notice_search(filters=f).notices.ids())
    assert set(selection_filtered(f).of(NoticeFact).values_list("notice_id", flat=True)) == expected


def test_the_facts_follow_saves_and_deletions_of_notices_and_awards():
    cast = corpus.build()
    n1 = cast["notices"][0]
    award = Award.objects.get(notice=n1)
    award.amount_yen = 2_500_000
    award.save()
    assert AwardFact.objects.get(pk=award.pk).ratio == 10_000
    n1.categories = ["DX"]
    n1.kind = NoticeKind.PLANNING_COMPETITION
    n1.save()
    assert list(CategoryFact.objects.filter(notice_id=n1.pk).values_list("category", "kind")) == [("DX", "planning_competition")]
    assert AwardFact.objects.get(pk=award.pk).kind == "planning_competition"
    award.delete()
    assert NoticeFact.objects.get(pk=n1.pk).results == 0
    Notice.objects.filter(pk=cast["notices"][4].pk).delete()  # with its two awards
    assert not NoticeFact.objects.filter(pk=cast["notices"][4].pk).exists()
    assert AwardFact.objects.count() == 3 and facts_check() == []


def test_the_facts_follow_an_award_import(write_csv):
    from django.core.management import call_command

    notice = NoticeFactory(title="観光案内看板製作", external_id="K-1", budget_yen=1_000_000)
    path = write_csv([["団体コード", "管理ID", "落札者", "落札金額", "予定価格", "税区分", "応札者数"],
                      [notice.municipality.lg_code, "K-1", "株式会社みなと看板", "900000", "1000000", "税込", "2"]])
    call_command("import_awards", str(path))
    fact = NoticeFact.objects.get(pk=notice.pk)
    assert (fact.results, fact.bidders) == (1, 2)
    assert AwardFact.objects.get(notice_id=notice.pk).ratio == 9_000
    assert facts_check() == []


def test_a_rebuild_writes_the_same_facts_and_the_check_finds_drift():
    corpus.build()
    before = sorted(NoticeFact.objects.values_list("notice_id", "budget_bin", "results", "bidders", "fiscal_year"))
    NoticeFact.objects.filter(kind="grant").update(results=0)
    CategoryFact.objects.filter(category="DX").delete()
    wrong = facts_check()
    assert len(wrong) == 2
    assert facts_rebuild() == 6
    assert facts_check() == []
    assert sorted(NoticeFact.objects.values_list("notice_id", "budget_bin", "results", "bidders", "fiscal_year")) == before


def test_the_municipality_view_counts_only_that_buyers_calls():
    cast = corpus.build()
    result = analytics_for_municipality(cast["sapporo"])
    assert (result.notices, result.awards) == (2, 3)
    assert [(w.organisation, w.wins) for w in result.top_winners] == [(cast["a"], 2), (cast["c"], 1)]
    assert analytics_for_municipality(municipality("012025")).notices == 0


def test_the_top_winners_are_ordered_by_wins_then_total_then_age():
    for amount in (1_000, 2_000):
        AwardFactory(amount_yen=amount)
    result = analytics_for_search()
    assert [w.total_amount for w in result.top_winners] == [2_000, 1_000]
