"""What the index contract tests share: the brute-force answer, and a query drawn from the corpus itself."""

from hypothesis import strategies as st

from tsunagu.core.text import normalize_text
from tsunagu.search.analysis import parse_query, reference_match


def expected(docs: list[tuple[str, str]], raw_query: str) -> set[int]:
    """The notices (by position) whose fields match `raw_query` by the definition."""
    query = parse_query(raw_query)
    return {pk for pk, fields in enumerate(docs) if reference_match(query, list(fields))}


def draw_query(data, docs: list[tuple[str, str]], text: st.SearchStrategy[str], *, longest: int, extras: list[str]) -> str:
    """A substring (1..`longest` characters) of one of the documents' fields, so that it usually matches, plus one of
    `extras` (more terms, exclusions, OR, phrases)."""
    field = normalize_text(data.draw(st.sampled_from(data.draw(st.sampled_from(docs)))))
    if field:
        start = data.draw(st.integers(0, len(field) - 1))
        substring = field[start : start + data.draw(st.integers(1, longest))]
    else:
        substring = data.draw(text)
    return substring + data.draw(st.sampled_from(extras))
