"""Many searches over a few notices: the notices go into a temporary in-memory index with the engine's own schema,
documents and queries, so each search answers exactly what `notice_search` would answer for those notices
(terms with separators are then checked against the reference, as `notice_search` does). The alert matcher
runs thousands of saved searches against a day's new notices this way, without touching the main index."""

import datetime
from collections.abc import Iterable

import tantivy
from django.utils import timezone

from tsunagu.notices.models import Notice

from .analysis import Query, reference_match
from .criteria import SearchFilters
from .documents import notice_field_texts
from .engine import _MUST, _Q, SCHEMA, _filter_queries, _notices_with_award_flag, text_query, notice_document


class NoticeBatch:
    """The notices of `ids`, indexed in memory. `matching(query, filters)` gives the ids that match."""

    def __init__(self, ids: Iterable[int], *, today: datetime.date | None = None) -> None:
        self.today = today or timezone.localdate()
        self.notices: dict[int, Notice] = {}
        self._texts: dict[int, list[str]] = {}
        index = tantivy.Index(SCHEMA)  # no path: in memory, gone with this object
        writer = index.writer(heap_size=50_000_000, num_threads=1)
        ids = list(ids)
        for start in range(0, len(ids), 2000):
            for notice in _notices_with_award_flag(ids[start : start + 2000]):
                writer.add_document(notice_document(notice, awarded=notice.awarded))
                self.notices[notice.pk] = notice
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        self.searcher = index.searcher()

    def __len__(self) -> int:
        return len(self.notices)

    def matching(self, query: Query, filters: SearchFilters) -> list[int]:
        """The ids of the batch's notices that the search (parsed text and filters) finds."""
        searching = bool(query.clauses or query.ignored)
        if (searching and query.is_empty) or not self.notices:
            return []
        parts = text_query(query) if query.clauses else []
        parts += [(_MUST, _Q.const_score_query(q, 0.0)) for q in _filter_queries(filters, self.today)]
        if not any(occur == _MUST for occur, _q in parts):
            parts.append((_MUST, _Q.all_query()))
        result = self.searcher.search(_Q.boolean_query(parts), limit=len(self.notices), count=False)
        addresses = [address for _score, address in result.hits]
        ids = list(self.searcher.fast_field_values("id", addresses)) if addresses else []
        if query.clauses and query.needs_check:
            ids = [pk for pk in ids if reference_match(query, self._fields(pk))]
        return ids

    def _fields(self, pk: int) -> list[str]:
        if pk not in self._texts:
            self._texts[pk] = notice_field_texts(self.notices[pk])
        return self._texts[pk]
