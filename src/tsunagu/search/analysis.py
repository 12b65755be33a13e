"""Text analysis for search, the same for every backend and for the exact reference.

The contract (issue 3): after `normalize_text`, a notice matches a term when the term is a substring of one of
its searchable fields. Every run of letters and digits is indexed as its character bigrams plus its last
character (福祉課 → 福祉 祉課 課), so:
  - a term of 2+ characters is the phrase of its bigrams (consecutive positions = a substring, and the trailing
    one-character token of every run stops a phrase from bridging two runs or two fields);
  - a 1-character term is a prefix query on the tokens (every occurrence begins a bigram or is a run's last char).
Latin words and digits are indexed the same way, so `ic` finds `ict` as a substring should. A term that holds
separators (R7-001, "地域 福祉") is answered by its runs' phrases and then checked exactly (`needs_check`).

The embedded engine also indexes longer grams (`LONG_GRAMS`: every 4- and 6-character window of a run, at the
run's character positions). A common long word is then one posting list instead of a phrase of frequent bigrams
(プロポーザル: one term instead of five, which a fifth of all notices contain): a term of 4+ characters is the
phrase of the longest grams that fit, at their offsets, or a single term when its length is a gram length. Each
run's grams are followed by as many gap tokens as the gram is long, so grams at offsets up to a gram apart can't
bridge two runs, and the answers stay exactly those of the bigrams.
"""

import re
from dataclasses import dataclass, field

from tsunagu.core.text import normalize_text

_RUN = re.compile(r"[^\W_]+")


def runs(normalized: str) -> list[str]:
    return _RUN.findall(normalized)


def run_tokens(run: str) -> list[str]:
    """福祉課 → [福祉, 祉課, 課]; 橋 → [橋]."""
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def field_runs(text: str) -> list[str]:
    """The runs of letters and digits of one searchable field, normalised."""
    return runs(normalize_text(text))


def runs_tokens(field_runs: list[str]) -> list[str]:
    """The bigram tokens of these runs, in order."""
    tokens: list[str] = []
    for run in field_runs:
        tokens.extend(run_tokens(run))
    return tokens


def field_tokens(text: str) -> list[str]:
    """The tokens of one searchable field, in order."""
    return runs_tokens(field_runs(text))


LONG_GRAMS = (4, 6)  # the longer grams the embedded engine indexes beside the bigrams (ascending)
GRAM_GAP = "\x01"  # fills the positions after a run's last gram; never a query token (not a letter or digit)


def runs_grams(field_runs: list[str], length: int) -> list[str]:
    """Every `length`-character window of these runs, at its character position, each run's followed by `length`
    gap tokens (runs shorter than `length` have no grams and need no gap)."""
    grams: list[str] = []
    for run in field_runs:
        if len(run) >= length:
            grams.extend(run[i : i + length] for i in range(len(run) - length + 1))
            grams.extend([GRAM_GAP] * length)
    return grams


@dataclass(frozen=True)
class Term:
    """One search term, normalised. `segments` are its runs of letters and digits."""

    text: str
    segments: tuple[str, ...]

    @property
    def needs_check(self) -> bool:
        """True when the index can only narrow the term down (it holds separators between its runs)."""
        return len(self.segments) != 1 or self.segments[0] != self.text

    def segment_query(self, segment: str) -> tuple[str, ...] | str:
        """A phrase of bigrams, or for one character the prefix to look for."""
        if len(segment) == 1:
            return segment
        return tuple(segment[i : i + 2] for i in range(len(segment) - 1))

    def segment_grams(self, segment: str) -> tuple[int, tuple[tuple[int, str], ...]] | None:
        """(gram length, ((offset, gram), ...)): the longest indexed grams that fit the segment, a gram apart at
        most and the last one ending with it, so that together they cover it; None when no long gram fits."""
        fitting = [length for length in LONG_GRAMS if length <= len(segment)]
        if not fitting:
            return None
        length = fitting[-1]
        offsets = list(range(0, len(segment) - length + 1, length))
        if offsets[-1] != len(segment) - length:
            offsets.append(len(segment) - length)
        return length, tuple((offset, segment[offset : offset + length]) for offset in offsets)


@dataclass(frozen=True)
class Clause:
    """Any of `terms` must occur (an OR group of one or more); `negated` turns it into must-not."""

    terms: tuple[Term, ...]
    negated: bool = False


@dataclass
class Query:
    clauses: list[Clause] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # words with no letters or digits, said back to the user

    @property
    def is_empty(self) -> bool:
        return not any(not c.negated for c in self.clauses)

    @property
    def needs_check(self) -> bool:
        return any(t.needs_check for c in self.clauses for t in c.terms)


# Longer terms are cut: the PostgreSQL index overlaps its parts by more than this (see search.index).
MAX_TERM_LENGTH = 200
_QUOTED = re.compile(r'"([^"]*)"?|(\S+)')


def parse_query(text: str, *, max_terms: int = 32) -> Query:
    """Parse what a person typed: spaces (full-width too) separate terms, `-term` excludes, `A OR B` means either,
    `"..."` keeps a phrase. Never raises: any string gives a query (possibly empty)."""
    query = Query()
    pending_or = False
    words = []
    for match in _QUOTED.finditer(text.replace("\u3000", " ")):
        quoted, bare = match.group(1), match.group(2)
        words.append((quoted if quoted is not None else bare, quoted is not None))
    for raw, quoted in words:
        if not quoted and raw in {"OR", "|", "ｏｒ", "ＯＲ"}:
            pending_or = bool(query.clauses) and not query.clauses[-1].negated
            continue
        negated = False
        if not quoted and raw.startswith(("-", "−", "－")) and len(raw) > 1:
            negated, raw = True, raw[1:]
            if raw.startswith('"') and raw.endswith('"') and len(raw) > 1:
                raw = raw[1:-1]
        normalized = normalize_text(raw)[:MAX_TERM_LENGTH]
        segments = tuple(runs(normalized))
        if not segments:
            if raw.strip():
                query.ignored.append(raw)
            pending_or = False
            continue
        term = Term(normalized, segments)
        if pending_or and not negated:
            last = query.clauses.pop()
            query.clauses.append(Clause((*last.terms, term)))
        elif sum(len(c.terms) for c in query.clauses) < max_terms:
            query.clauses.append(Clause((term,), negated))
        pending_or = False
    return query


def term_matches(term: Term, normalized_fields: list[str]) -> bool:
    return any(term.text in text for text in normalized_fields)


def reference_match(query: Query, fields: list[str]) -> bool:
    """The definition of a match, by brute force: what every backend must return exactly."""
    normalized = [normalize_text(f) for f in fields]
    for clause in query.clauses:
        hit = any(term_matches(t, normalized) for t in clause.terms)
        if hit == clause.negated:
            return False
    return not query.is_empty


# -- compiling a query for the backends ------------------------------------------------------------------------


def _fts5_quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _fts5_term(term: Term) -> str:
    parts = []
    for segment in term.segments:
        q = term.segment_query(segment)
        parts.append(_fts5_quote(q) + "*" if isinstance(q, str) else _fts5_quote(" ".join(q)))
    return parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"


def fts5_clause(clause: Clause) -> str:
    expression = " OR ".join(_fts5_term(t) for t in clause.terms)
    return f"({expression})" if len(clause.terms) > 1 else expression


def to_fts5(query: Query) -> tuple[str | None, list[str]]:
    """(MATCH expression for the positive clauses, MATCH expressions whose hits are excluded). FTS5's NOT is
    binary, so exclusions are returned apart for the caller to subtract; tokens are always quoted, so no input
    can produce FTS syntax."""
    positive, negative = [], []
    for clause in query.clauses:
        (negative if clause.negated else positive).append(fts5_clause(clause))
    return (" AND ".join(positive) if positive else None), negative


def _tsquery_lexeme(token: str) -> str:
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


def _tsquery_term(term: Term) -> str:
    parts = []
    for segment in term.segments:
        q = term.segment_query(segment)
        parts.append(_tsquery_lexeme(q) + ":*" if isinstance(q, str) else "(" + " <-> ".join(map(_tsquery_lexeme, q)) + ")")
    return parts[0] if len(parts) == 1 else "(" + " & ".join(parts) + ")"


def tsquery_clause(clause: Clause) -> str:
    """The clause without its negation (the caller excludes its hits)."""
    expression = " | ".join(_tsquery_term(t) for t in clause.terms)
    return f"({expression})" if len(clause.terms) > 1 else expression


def to_tsquery(query: Query) -> str | None:
    """A tsquery literal (cast with ::tsquery, never parsed by a text-search configuration)."""
    parts = []
    for clause in query.clauses:
        expression = tsquery_clause(clause)
        parts.append(f"!({expression})" if clause.negated else expression)
    return " & ".join(parts) if parts else None
