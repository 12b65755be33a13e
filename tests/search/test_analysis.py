"""The search contract, proved on an FTS5 index (stdlib sqlite3, no Django database): for any corpus and query,
the index returns exactly the notices the brute-force definition does."""

import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.search.contract import draw_query, expected
from tsunagu.search.analysis import field_tokens, parse_query, reference_match, run_tokens, to_fts5, to_tsquery

ALPHABET = "福祉計画子ども供障害がい観光橋港地域市町村課業務委託令和年度アプリシステムICTictＩＣＴ0123456789・（）-、 　"
text = st.text(alphabet=ALPHABET, min_size=0, max_size=40)
corpus = st.lists(st.tuples(text, text), min_size=1, max_size=25)


def fts_search(docs: list[tuple[str, str]], raw_query: str) -> set[int]:
    """Index `docs` in FTS5 the way the SQLite backend does and answer `raw_query` (plus the exact check)."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE idx USING fts5(title, body, tokenize='unicode61 remove_diacritics 0')")
    for rowid, (title, body) in enumerate(docs):
        db.execute("INSERT INTO idx(rowid, title, body) VALUES (?, ?, ?)",
                   (rowid, " ".join(field_tokens(title)), " ".join(field_tokens(body))))
    query = parse_query(raw_query)
    positive, negative = to_fts5(query)
    if positive is None:
        return set()
    ids = {r for (r,) in db.execute("SELECT rowid FROM idx WHERE idx MATCH ?", (positive,))}
    for expression in negative:
        ids -= {r for (r,) in db.execute("SELECT rowid FROM idx WHERE idx MATCH ?", (expression,))}
    if query.needs_check:
        ids = {i for i in ids if reference_match(query, list(docs[i]))}
    return ids


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(docs=corpus, data=st.data())
def test_the_index_returns_exactly_the_notices_whose_fields_contain_every_term(docs, data):
    raw = draw_query(data, docs, text, longest=6, extras=["", " 福祉", " -橋", " 観光 OR 港", ' "地域 課"', " ict", " 令和7年度"])
    assert fts_search(docs, raw) == expected(docs, raw)


@settings(max_examples=200, deadline=None)
@given(raw=st.text(max_size=200))
def test_any_query_string_parses_and_compiles_without_error(raw):
    query = parse_query(raw)
    positive, negative = to_fts5(query)
    to_tsquery(query)
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE idx USING fts5(body, tokenize='unicode61 remove_diacritics 0')")
    for expression in ([positive] if positive else []) + negative:
        db.execute("SELECT rowid FROM idx WHERE idx MATCH ?", (expression,)).fetchall()  # never an FTS syntax error


def test_runs_become_bigrams_and_their_last_character():
    assert run_tokens("福祉課") == ["福祉", "祉課", "課"]
    assert run_tokens("橋") == ["橋"]
    assert field_tokens("福祉・ICT") == ["福祉", "祉", "ic", "ct", "t"]


@pytest.mark.parametrize(("written", "found_by"), [
    ("子供の居場所", "子ども"), ("こども食堂", "子供"), ("障害者支援", "障がい"), ("令和7年度 事業", "2025年度"),
    ("R7年度 事業", "令和７年度"), ("ＩＣＴ活用", "ict"), ("ｺﾝｻﾙ業務", "コンサル"), ("橋梁点検", "橋"), ("港湾", "港"),
])
def test_spelling_variants_widths_and_short_terms_find_each_other(written, found_by):
    docs = [(written, ""), ("関係のない公募", "")]
    assert fts_search(docs, found_by) == {0}


def test_exclusion_or_and_phrases():
    docs = [("地域福祉計画", "入札"), ("観光振興", ""), ("移住定住", ""), ("地域の福祉", "")]
    assert fts_search(docs, "福祉 -入札") == {3}
    assert fts_search(docs, "観光 OR 移住") == {1, 2}
    assert fts_search(docs, '"域福"') == {0}
    assert fts_search(docs, "-福祉") == set()  # exclusion alone matches nothing: there is nothing to search for


def test_symbols_only_are_ignored_and_said_back():
    query = parse_query("・・ 福祉")
    assert query.ignored == ["・・"] and [t.text for c in query.clauses for t in c.terms] == ["福祉"]


def test_the_tsquery_is_a_literal_of_the_same_tokens():
    assert to_tsquery(parse_query("福祉計画 橋 -入札")) == "('福祉' <-> '祉計' <-> '計画') & '橋':* & !(('入札'))"
