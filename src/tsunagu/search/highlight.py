"""Marking the query's terms in a title or snippet. Widths and case are matched character by character;
a spelling variant (子供 for 子ども) is found by the search but not marked."""

import functools
import unicodedata
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .analysis import Query


@functools.lru_cache(maxsize=65536)
def _fold(char: str) -> str:
    """One character's fold, worked out once: a page marks forty titles and descriptions, and normalising every
    character of them anew was most of the marking's time."""
    return unicodedata.normalize("NFKC", char).casefold()


def _folded(text: str) -> tuple[str, Sequence[int]]:
    """The text folded per character, and for each folded character the index of its original."""
    pieces = [_fold(char) for char in text]
    folded = "".join(pieces)
    if all(len(piece) == 1 for piece in pieces):  # the usual case: one for one
        return folded, range(len(text))
    origin: list[int] = []
    for index, piece in enumerate(pieces):
        origin.extend([index] * len(piece))
    return folded, origin


def highlight(text: str, query: Query, *, around: int | None = None) -> SafeString:
    """`text` escaped, with each term marked; with `around`, a snippet of that many characters around the first
    hit (the start of the text when nothing is found)."""
    folded, origin = _folded(text)
    spans: list[tuple[int, int]] = []
    for clause in query.clauses:
        if clause.negated:
            continue
        for term in clause.terms:
            for needle in {term.text, *term.segments}:
                start = folded.find(needle)
                while start != -1 and needle:
                    spans.append((origin[start], origin[start + len(needle) - 1] + 1))
                    start = folded.find(needle, start + len(needle))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    window = (0, len(text))
    if around is not None:
        first = merged[0][0] if merged else 0
        begin = max(0, first - around // 3)
        window = (begin, min(len(text), begin + around))
    out, cursor = [], window[0]
    if window[0] > 0:
        out.append("…")
    for start, end in merged:
        if end <= window[0] or start >= window[1]:
            continue
        start, end = max(start, window[0]), min(end, window[1])
        out.append(escape(text[cursor:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        cursor = end
    out.append(escape(text[cursor : window[1]]))
    if window[1] < len(text):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 (every piece of the text is escaped above)
