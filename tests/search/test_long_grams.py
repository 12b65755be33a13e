"""The embedded engine's long grams keep the search contract: a term of 4+ characters, answered by one long gram or
a phrase of them at their offsets, finds exactly the notices the brute-force definition does, and never a word
split across two runs or two fields (proved on a bare in-memory tantivy index, no database)."""

import pytest
import tantivy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.search.contract import draw_query, expected
from tsunagu.search.analysis import GRAM_GAP, field_runs, parse_query, reference_match, runs_grams
from tsunagu.search.engine import SCHEMA, text_fields, text_query

# Few letters, so that long substrings repeat across documents and runs; separators split runs.
ALPHABET = "プロポーザル指定管理者地域福祉計画令和年度ab12・、 "
text = st.text(alphabet=ALPHABET, min_size=0, max_size=40)
corpus = st.lists(st.tuples(text, text), min_size=1, max_size=20)


def engine_search(docs: list[tuple[str, str]], raw_query: str) -> set[int]:
    """Index `docs` as the engine does (title, the rest) and answer `raw_query` with the engine's query."""
    index = tantivy.Index(SCHEMA)
    writer = index.writer(heap_size=15_000_000, num_threads=1)
    for pk, (title, body) in enumerate(docs):
        writer.add_document(tantivy.Document(id=pk, **text_fields(field_runs(title), field_runs(body))))
    writer.commit()
    index.reload()
    query = parse_query(raw_query)
    if query.is_empty:
        return set()
    searcher = index.searcher()
    hits = searcher.search(tantivy.Query.boolean_query(text_query(query)), limit=len(docs)).hits
    ids = set(searcher.fast_field_values("id", [address for _score, address in hits]))
    if query.needs_check:
        ids = {pk for pk in ids if reference_match(query, list(docs[pk]))}
    return ids


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=corpus, data=st.data())
def test_long_terms_find_exactly_the_notices_that_contain_them(docs, data):
    raw = draw_query(data, docs, text, longest=14, extras=["", " 福祉", " -計画", " 地域福祉 OR プロポーザル", ' "管理 者"'])
    assert engine_search(docs, raw) == expected(docs, raw)


@pytest.mark.parametrize(("written", "query", "found"), [
    (("公募型プロポーザル方式", ""), "プロポーザル", True),  # one 6-character gram
    (("指定管理者の募集", ""), "指定管理者", True),  # a phrase of two 4-character grams
    (("", "観光プロモーション業務"), "観光プロモーション", True),  # a phrase of 6-character grams, offsets 0 and 3
    (("プロポー・ザル", ""), "プロポーザル", False),  # split by a separator
    (("プロポー", "ザル"), "プロポーザル", False),  # split across two fields
    # 12 characters: two 6-character grams side by side (offsets 0 and 6), which must not come from two runs
    *((("abcdef " + "x" * shift + "ghijkl", ""), "abcdefghijkl", False) for shift in range(6)),
    (("abcdefghijkl", ""), "abcdefghijkl", True),
    (("abcd efgh", ""), "abcdefgh", False),
    (("地域福祉計画", ""), "域福祉計", True),  # inside a run, not at its start
])
def test_long_terms_match_within_one_run_only(written, query, found):
    assert engine_search([written], query) == ({0} if found else set())


def test_each_run_has_its_windows_at_character_positions_then_a_gap_as_long_as_a_gram():
    assert runs_grams(["指定管理者", "福祉", "地域福祉"], 4) == [
        "指定管理", "定管理者", *[GRAM_GAP] * 4,  # 福祉 is shorter than a gram: no grams, no gap
        "地域福祉", *[GRAM_GAP] * 4,
    ]


def test_a_long_term_is_covered_by_the_longest_grams_that_fit():
    term = parse_query("観光プロモーション").clauses[0].terms[0]
    assert term.segment_grams(term.segments[0]) == (6, ((0, "観光プロモー"), (3, "ロモーション")))
    term = parse_query("指定管理者").clauses[0].terms[0]
    assert term.segment_grams(term.segments[0]) == (4, ((0, "指定管理"), (1, "定管理者")))
    term = parse_query("子ども").clauses[0].terms[0]
    assert term.segment_grams(term.segments[0]) is None  # bigrams answer it
