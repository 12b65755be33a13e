"""The default search engine: tantivy (an embedded Rust index), fed the same tokens as the database indexes.

The database stays the source of truth. Every write of a notice records an `IndexChange` row in the writer's own
transaction; after the commit, and before any search, the engine applies the recorded changes in order, so a search
sees every committed write and the index can't drift (`rebuild_search_index --check` compares the two). Filters,
sorting, paging and facet counts all run inside tantivy, so a search hands the database one page of ids at most.

One writer at a time: tantivy locks the index folder, other processes wait for the lock and re-apply at worst.
"""

import datetime
import functools
import hashlib
import logging
import math
import re
import shutil
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import tantivy
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from tsunagu.notices.models import Award, Notice, NoticeStatus
from tsunagu.notices.selectors import notices_by_id

from .analysis import LONG_GRAMS, Clause, Query, Term, runs_grams, runs_tokens
from .criteria import CLOSING_SOON, CLOSING_SOON_DAYS, SearchFilters
from .documents import TITLE_WEIGHT, notice_runs
from .models import IndexChange

EPOCH = datetime.date(1900, 1, 1)
NO_DEADLINE = (datetime.date(9999, 12, 31) - EPOCH).days  # sorts after every real date (締切なし last)
NO_BUDGET = -1  # below every real amount (上限額なし last when the largest come first)
NPO_CODES = {False: 0, True: 1, None: 2}
LIVE, AWARDED, CANCELLED = 0, 1, 2  # the part of the status that doesn't move with the date (中止 wins)
ID_BITS = 32  # sort keys: the day in the high bits, the id below it, so ties keep a stable order
APPLY_BATCH = 2000
LOCK_WAIT_SECONDS = 60  # a writer waits this long for another one (a rebuild holds the lock throughout)
WRITER_SETTINGS = {"heap_size": 64_000_000, "num_threads": 1}  # one indexing thread: the other core keeps serving
SEARCH_WAIT_SECONDS = 2  # a search waits less: it answers from the index as it is and the changes keep

logger = logging.getLogger(__name__)


class IndexBusy(Exception):
    """Another process held the index's writer for longer than we could wait."""


def _day(value: datetime.date) -> int:
    return (value - EPOCH).days


# (field, kind, options): the schema, and through its hash the name of the index folder, so that a changed schema
# never opens an old index (tantivy would refuse it); `tsunagu migrate` then builds the new one.
FIELDS = (
    ("id", "int", {"indexed": True, "fast": True}),
    # tokens come from search.analysis, spaced: the bigrams, and the long grams (`title4`, `body6`, ...)
    *((f"{field}{suffix}", "text", {"tokenizer_name": "whitespace"})
      for suffix in ("", *map(str, LONG_GRAMS)) for field in ("title", "body")),
    *((name, "text", {"tokenizer_name": "raw", "fast": True}) for name in ("kind", "prefecture", "municipality")),
    ("category", "text", {"tokenizer_name": "raw"}),
    *((name, "int", {"indexed": True, "fast": True}) for name in ("npo", "state", "published", "deadline", "budget")),
    *((name, "int", {"fast": True}) for name in ("deadline_key", "newest_key", "version")),
)
DOCUMENT_VERSION = 1  # bump when the same fields get different contents (e.g. a new tokenization)


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name, kind, options in FIELDS:
        if kind == "int":
            builder.add_integer_field(name, **options)
        else:
            builder.add_text_field(name, **options)
    return builder.build()


SCHEMA = _schema()
SCHEMA_VERSION = "v" + hashlib.sha256(repr((FIELDS, DOCUMENT_VERSION)).encode()).hexdigest()[:12]
_indexes: dict[Path, tantivy.Index] = {}
_opening = threading.Lock()
# A searcher is kept while its index is unchanged: a reload and a new searcher on every search cost up to 5 ms on
# a million notices (cold caches). Every commit, by this process or another, writes a new meta.json (atomically,
# with a higher opstamp), so its bytes say whether the kept searcher is still current.
_searchers: dict[Path, tuple[bytes, tantivy.Searcher]] = {}


def _index() -> tantivy.Index:
    """This process's handle on the index folder of the settings (opened once, created when missing)."""
    path = Path(settings.SEARCH_INDEX_DIR) / SCHEMA_VERSION
    index = _indexes.get(path)
    if index is None:
        with _opening:
            index = _indexes.get(path)
            if index is None:
                path.mkdir(parents=True, exist_ok=True)
                index = tantivy.Index(SCHEMA, path=str(path))
                _indexes[path] = index
    return index


def index_is_built() -> bool:
    """Whether this schema's index folder has been built (a rebuild, or changes applied, wrote to it)."""
    return (Path(settings.SEARCH_INDEX_DIR) / SCHEMA_VERSION / "meta.json").exists() and bool(_index().searcher().num_docs)


def indexed_count() -> int:
    """How many notices the index holds (opens the index: fails when it can't be read)."""
    return _searcher().num_docs


def release_indexes() -> None:
    """Let go of this process's index handles (tests, whose index folders are temporary)."""
    with _opening:
        _indexes.clear()
        _searchers.clear()


@contextmanager
def _writer(wait: float | None = None) -> Iterator[tantivy.IndexWriter]:
    """The index's single writer, waiting while another process holds it."""
    index = _index()
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    deadline = time.monotonic() + wait
    while True:
        try:
            writer = index.writer(**WRITER_SETTINGS)
            break
        except ValueError as exc:
            if "LockBusy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise IndexBusy(f"the search index writer was busy for {wait} s") from exc
            time.sleep(0.05)
    try:
        yield writer
    finally:
        writer.wait_merging_threads()  # releases the lock
    index.reload()


def _version(updated_at: datetime.datetime, state: int) -> int:
    """What the check compares: the notice's last write and its award/cancel state."""
    return int(updated_at.timestamp() * 1_000_000) * 4 + state


def text_fields(title: list[str], body: list[str]) -> dict[str, str]:
    """The searchable fields of a document from its title's and the rest's runs: bigrams and long grams, spaced."""
    fields = {}
    for field, runs in (("title", title), ("body", body)):
        fields[field] = " ".join(runs_tokens(runs))
        for length in LONG_GRAMS:
            fields[f"{field}{length}"] = " ".join(runs_grams(runs, length))
    return fields


def notice_document(notice: Notice, *, awarded: bool) -> tantivy.Document:
    state = CANCELLED if notice.cancelled else AWARDED if awarded else LIVE
    deadline = _day(notice.last_deadline) if notice.last_deadline else NO_DEADLINE
    published = _day(notice.published_on)
    return tantivy.Document(
        id=notice.pk,
        **text_fields(*notice_runs(notice)),
        kind=notice.kind,
        prefecture=notice.municipality.prefecture.code,
        municipality=notice.municipality.lg_code,
        category=list(notice.categories or []),
        npo=NPO_CODES[notice.npo_eligible],
        state=state,
        version=_version(notice.updated_at, state),
        published=published,
        deadline=deadline,
        budget=notice.budget_yen if notice.budget_yen is not None else NO_BUDGET,
        deadline_key=(deadline << ID_BITS) + ((1 << ID_BITS) - 1 - notice.pk),  # deadline ↑, then id ↓
        newest_key=(published << ID_BITS) + notice.pk,  # published ↓, then id ↓
    )


def _notices_with_award_flag(ids: Iterable[int]):
    return (Notice.objects.filter(pk__in=list(ids)).select_related("municipality__prefecture").order_by()
            .annotate(awarded=Exists(Award.objects.filter(notice=OuterRef("pk")))))


# -- keeping the index in step -----------------------------------------------------------------------------------


def record_changes(ids: Iterable[int]) -> None:
    """Note these notices as changed, in the caller's transaction; the index catches up once it commits."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return
    IndexChange.objects.bulk_create([IndexChange(notice_id=pk) for pk in ids], batch_size=APPLY_BATCH)
    transaction.on_commit(_apply_after_commit)


def _apply_after_commit() -> None:
    """The data has committed whatever happens here: a busy index only delays the changes, which stay recorded."""
    try:
        apply_changes()
    except IndexBusy:
        logger.warning("search index busy: the changes will be applied by the next search or write")
    except Exception:  # the write has committed: never turn it into an error page
        logger.exception("search index: applying changes failed; they stay recorded")


def apply_changes(*, wait: float | None = None) -> int:
    """Apply the recorded changes, oldest first: (re)index the notices that exist, drop the rest. Returns how many."""
    applied = removed = 0
    while True:
        changes = list(IndexChange.objects.order_by("pk").values_list("pk", "notice_id")[:APPLY_BATCH])
        if not changes:
            _vacuum_change_log(removed)
            return applied
        ids = {notice_id for _pk, notice_id in changes}
        with _writer(wait) as writer:
            for pk in ids:
                writer.delete_documents_by_term("id", pk)
            for notice in _notices_with_award_flag(ids):
                _add(writer, notice)
            writer.commit()
        # Exactly the rows read: on PostgreSQL a lower id may still commit later, and must not go unapplied.
        IndexChange.objects.filter(pk__in=[pk for pk, _notice in changes]).delete()
        applied += len(ids)
        removed += len(changes)


def _add(writer: tantivy.IndexWriter, notice: Notice) -> None:
    """Index one notice; one that can't be indexed is logged and left out (the check reports it as missing)
    rather than stopping every other change and every search."""
    try:
        writer.add_document(notice_document(notice, awarded=notice.awarded))
    except Exception:
        logger.exception("search index: notice %s could not be indexed", notice.pk)


def rebuild(*, batch_size: int = 5000) -> int:
    """Index every notice anew (the recorded changes are then redundant and go)."""
    seen_changes = list(IndexChange.objects.values_list("pk", flat=True))  # committed now: the rebuild covers them
    count, last = 0, 0
    with _writer() as writer:
        writer.delete_all_documents()
        while True:
            batch = list(_notices_with_award_flag(
                Notice.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size]))
            if not batch:
                break
            for notice in batch:
                _add(writer, notice)
            count += len(batch)
            last = max(n.pk for n in batch)
        writer.commit()
    for start in range(0, len(seen_changes), 10_000):
        IndexChange.objects.filter(pk__in=seen_changes[start : start + 10_000]).delete()
    _vacuum_change_log(len(seen_changes))
    _remove_other_versions()
    return count


VACUUM_ABOVE_BYTES = 1_000_000  # the change log's size (about 25,000 removed rows) above which it is vacuumed


def _vacuum_change_log(removed: int) -> None:
    """Every search first asks whether changes are waiting. On PostgreSQL removed rows stay in the table as dead rows
    until a vacuum, and that question scans them all (after a million-notice import: 10-100 ms a search, for good
    where autovacuum is off); so after changes were applied and the log has grown, it is vacuumed here."""
    if not removed or connection.vendor != "postgresql" or connection.in_atomic_block:  # VACUUM needs autocommit
        return
    table = IndexChange._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size(%s)", [table])
        if cursor.fetchone()[0] > VACUUM_ABOVE_BYTES:
            cursor.execute(f"VACUUM {table}")


def _remove_other_versions() -> None:
    """Index folders of earlier schemas (left by an upgrade) go once this one is built; nothing else is touched."""
    for folder in Path(settings.SEARCH_INDEX_DIR).iterdir():
        if folder.is_dir() and folder.name != SCHEMA_VERSION and re.fullmatch(r"v[0-9a-f]{12}", folder.name):
            shutil.rmtree(folder, ignore_errors=True)


def stored_versions() -> dict[int, int]:
    """Every indexed notice id with the version it was indexed at (after applying the recorded changes)."""
    apply_changes()
    searcher = _index().searcher()
    if not searcher.num_docs:
        return {}
    addresses = [address for _score, address in searcher.search(tantivy.Query.all_query(), limit=searcher.num_docs).hits]
    return dict(zip(searcher.fast_field_values("id", addresses), searcher.fast_field_values("version", addresses), strict=True))


def stored_ids() -> set[int]:
    return set(stored_versions())


def stale_ids(versions: dict[int, int]) -> list[int]:
    """Notices indexed with other contents than they have now (an edit or award the index missed)."""
    rows = (Notice.objects.annotate(awarded=Exists(Award.objects.filter(notice=OuterRef("pk"))))
            .values_list("pk", "updated_at", "cancelled", "awarded").iterator(chunk_size=10_000))
    return sorted(pk for pk, updated_at, cancelled, awarded in rows if pk in versions
                  and versions[pk] != _version(updated_at, CANCELLED if cancelled else AWARDED if awarded else LIVE))


# -- searching ---------------------------------------------------------------------------------------------------

_Q = tantivy.Query
_MUST, _SHOULD, _MUST_NOT = tantivy.Occur.Must, tantivy.Occur.Should, tantivy.Occur.MustNot


@functools.lru_cache(maxsize=4096)  # a query object is immutable; a one-character term compiles a regex each time
def _segment_query(field: str, term: Term, segment: str) -> tantivy.Query:
    """The segment as the fewest tokens: one long gram, a phrase of long grams at their offsets, else bigrams."""
    grams = term.segment_grams(segment)
    if grams is not None:
        length, parts = grams
        if len(parts) == 1:
            return _Q.term_query(SCHEMA, f"{field}{length}", parts[0][1])
        return _Q.phrase_query(SCHEMA, f"{field}{length}", list(parts))
    tokens = term.segment_query(segment)
    if isinstance(tokens, str):  # one character: any token that starts with it
        return _Q.regex_query(SCHEMA, field, f"{tokens}.*")
    if len(tokens) == 1:
        return _Q.term_query(SCHEMA, field, tokens[0])
    return _Q.phrase_query(SCHEMA, field, list(tokens))


def _term_query(term: Term) -> tantivy.Query:
    """The term in the title (weighted, as in the database indexes) or in the rest."""
    per_field = []
    for field, weight in (("title", TITLE_WEIGHT), ("body", 1.0)):
        query = _Q.boolean_query([(_MUST, _segment_query(field, term, s)) for s in term.segments])
        per_field.append((_SHOULD, _Q.boost_query(query, weight) if weight != 1.0 else query))
    return _Q.boolean_query(per_field)


def _clause_query(clause: Clause) -> tantivy.Query:
    return _Q.boolean_query([(_SHOULD, _term_query(t)) for t in clause.terms])


def text_query(query: Query) -> list[tuple[tantivy.Occur, tantivy.Query]]:
    return [(_MUST_NOT if c.negated else _MUST, _clause_query(c)) for c in query.clauses]


def _range(field: str, lower: int | None = None, upper: int | None = None) -> tantivy.Query:
    return _Q.range_query(SCHEMA, field, tantivy.FieldType.Integer, lower, upper)


def _is(field: str, value) -> tantivy.Query:
    return _Q.term_query(SCHEMA, field, value)


def _status_query(status: str, today: datetime.date) -> tantivy.Query:
    """The rule of `Notice.status_on` as index conditions (中止 > 結果公表 > 予定 > 締切 > 募集中)."""
    day = _day(today)
    if status == NoticeStatus.CANCELLED:
        return _is("state", CANCELLED)
    if status == NoticeStatus.AWARDED:
        return _is("state", AWARDED)
    live = [(_MUST, _is("state", LIVE))]
    if status == NoticeStatus.PLANNED:
        return _Q.boolean_query([*live, (_MUST, _range("published", lower=day + 1))])
    live.append((_MUST, _range("published", upper=day)))
    if status == NoticeStatus.CLOSED:
        return _Q.boolean_query([*live, (_MUST, _range("deadline", upper=day - 1))])
    return _Q.boolean_query([*live, (_MUST, _range("deadline", lower=day))])  # OPEN (no deadline: open)


def _filter_queries(f: SearchFilters, today: datetime.date) -> list[tantivy.Query]:
    queries = []
    if f.kind:
        queries.append(_is("kind", f.kind))
    if f.prefecture:
        queries.append(_is("prefecture", f.prefecture))
    if f.municipality:
        queries.append(_is("municipality", f.municipality))
    if f.category:
        queries.append(_is("category", f.category))
    if f.status in NoticeStatus.values:
        queries.append(_status_query(f.status, today))
    elif f.status == CLOSING_SOON:
        queries += [_status_query(NoticeStatus.OPEN, today),
                    _range("deadline", _day(today), _day(today) + CLOSING_SOON_DAYS)]
    if f.npo_eligible is not None:
        queries.append(_is("npo", NPO_CODES[f.npo_eligible]))
    if f.deadline_from or f.deadline_to:  # a range never includes 締切なし
        queries.append(_range("deadline", _day(f.deadline_from) if f.deadline_from else None,
                              _day(f.deadline_to) if f.deadline_to else NO_DEADLINE - 1))
    if f.published_from or f.published_to:
        queries.append(_range("published", _day(f.published_from) if f.published_from else None,
                              _day(f.published_to) if f.published_to else None))
    if f.budget_min is not None or f.budget_max is not None:  # a range never includes 上限額なし
        queries.append(_range("budget", f.budget_min if f.budget_min is not None else 0, f.budget_max))
    return queries


def _changes_waiting() -> bool:
    """Whether recorded changes wait to be applied (normally none: writes apply theirs on commit). Asked before every
    search, so the statement is written out: the ORM compiling it took about as long as running it. On the default
    database, as every other statement here (there are no database routers)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(IndexChange._meta.db_table)} LIMIT 1")
        return cursor.fetchone() is not None


def _searcher() -> tantivy.Searcher:
    if _changes_waiting():
        try:
            apply_changes(wait=SEARCH_WAIT_SECONDS)
        except IndexBusy:  # e.g. a rebuild under way: answer from the index as it stands
            logger.warning("search index busy: searching without the latest changes")
        except Exception:
            logger.exception("search index: applying changes failed; searching the index as it stands")
    return _current_searcher()


def _current_searcher() -> tantivy.Searcher:
    """The kept searcher while the index's meta.json is unchanged, else a fresh one after a reload."""
    index = _index()
    path = Path(settings.SEARCH_INDEX_DIR) / SCHEMA_VERSION
    try:
        meta = (path / "meta.json").read_bytes()  # read before reloading: a commit in between only reloads again
    except FileNotFoundError:
        meta = b""
    kept = _searchers.get(path)
    if meta and kept and kept[0] == meta:
        return kept[1]
    index.reload()
    searcher = index.searcher()
    _searchers[path] = (meta, searcher)
    return searcher


def facet_aggregations(today: datetime.date, *, municipalities: bool = False) -> dict:
    """One aggregation for every facet: terms by kind, prefecture (and 団体コード), and the status: the fixed part
    (中止, 結果公表) by `state`, the rest by publication and deadline against today."""
    day = _day(today)
    aggregations = {name: {"terms": {"field": name, "size": 5000}}
                    for name in ("kind", "prefecture", *(["municipality"] if municipalities else []))}
    aggregations["state"] = {"terms": {"field": "state", "size": 3}, "aggs": {"published": {
        "range": {"field": "published", "ranges": [{"key": "past", "to": day + 1}, {"key": "future", "from": day + 1}]},
        "aggs": {"deadline": {"range": {"field": "deadline", "ranges": [{"key": "closed", "to": day}, {"key": "open", "from": day}]}}},
    }}}
    return aggregations


# tantivy lets go of the GIL while it searches: a page's facet counts are worked out here while the request's own
# thread reads the page (its best matches and their rows), so a page takes about as long as the longer of the two.
_facet_workers = ThreadPoolExecutor(max_workers=4, thread_name_prefix="search-facets")


def _end(stop: int | None) -> float:
    """A slice's stop, open-ended as infinity."""
    return math.inf if stop is None else stop


class TantivyHits:
    """The notices a search found, counted, paged and faceted inside the index. Slicing gives notices (with their
    status) in order; `count()`, `ids()` and `facets()` never load notices (unless `facets` is told the page)."""

    def __init__(self, *, query: Query | None, filters: SearchFilters, sort: str, only_ids: list[int] | None = None):
        self.today = timezone.localdate()
        self.searcher = _searcher()
        parts = text_query(query) if query and query.clauses else []
        parts += [(_MUST, _Q.const_score_query(q, 0.0)) for q in _filter_queries(filters, self.today)]
        if only_ids is not None:
            parts.append((_MUST, _Q.const_score_query(_Q.term_set_query(SCHEMA, "id", only_ids), 0.0)))
        if not any(occur == _MUST for occur, _q in parts):
            parts.append((_MUST, _Q.all_query()))
        self.query = _Q.boolean_query(parts)
        searching = bool(query and query.clauses)
        self.sort = "newest" if sort == "relevance" and not searching else sort
        self._count: int | None = None
        self._page_read: tuple[tuple[int, int | None], list[Notice]] | None = None  # (start, stop) → the notices

    def _order(self) -> dict:
        if self.sort == "deadline":
            return {"order_by_field": "deadline_key", "order": tantivy.Order.Asc}
        if self.sort == "newest":
            return {"order_by_field": "newest_key", "order": tantivy.Order.Desc}
        if self.sort == "budget":
            return {"order_by_field": "budget", "order": tantivy.Order.Desc}
        return {}  # relevance: BM25, the title weighted

    def count(self) -> int:
        if self._count is None:
            # counted at a constant score: the count needs no BM25 (5–13 % faster on a million notices)
            self._count = self.searcher.search(_Q.const_score_query(self.query, 1.0), limit=1, count=True).count
        return self._count

    def __len__(self) -> int:
        return self.count()

    def exists(self) -> bool:
        return self.count() > 0

    def _page(self, offset: int, limit: int | None, fields: tuple[str, ...]) -> list[list[int]]:
        """The values of these fast fields for the matches offset..offset+limit, in order (one list per field)."""
        limit = self.count() - offset if limit is None else limit
        if limit <= 0:
            return [[] for _f in fields]
        result = self.searcher.search(self.query, limit=limit, offset=offset, count=False, **self._order())
        addresses = [address for _score, address in result.hits]
        return [list(self.searcher.fast_field_values(f, addresses)) for f in fields]

    def ids(self, offset: int = 0, limit: int | None = None) -> list[int]:
        return self._page(offset, limit, ("id",))[0]

    def __getitem__(self, item: slice) -> list[Notice]:
        if not isinstance(item, slice) or item.step not in (None, 1):
            raise TypeError("search hits are read by slices")
        start = item.start or 0
        if self._page_read:  # read beside the facets: the same page, or (the last one, cut at the count) less
            (read_start, read_stop), notices = self._page_read
            if read_start == start and _end(item.stop) <= _end(read_stop):
                return notices[: None if item.stop is None else item.stop - start]
        ids, states = self._page(start, None if item.stop is None else item.stop - start, ("id", "state"))
        by_id = notices_by_id(ids)
        page = []
        for pk, state in zip(ids, states, strict=True):
            if pk in by_id:  # the status from the index: the SQL that works it out costs more than the search
                notice = by_id[pk]
                notice.current_status = notice.status_on(self.today, has_award=state == AWARDED)
                page.append(notice)
        return page

    def __iter__(self) -> Iterator[Notice]:
        return iter(self[:])

    def facets(self, *, municipalities: bool = False, page: slice | None = None) -> dict[str, dict[str, int]]:
        """Counts by kind, prefecture and status (and 団体コード when a prefecture is chosen) of what was found, in
        one pass over the matches; the count comes with them. With `page` (the slice that will be shown), that page
        is read meanwhile and kept for it."""
        fields = ["kind", "prefecture", *(["municipality"] if municipalities else [])]
        aggregations = facet_aggregations(self.today, municipalities=municipalities)
        if page is None:
            result = self.searcher.aggregate(self.query, aggregations)
        else:
            counting = _facet_workers.submit(self.searcher.aggregate, self.query, aggregations)
            self._page_read = ((page.start or 0, page.stop), self[page])
            result = counting.result()
        facets = {name: {b["key"]: b["doc_count"] for b in result[name]["buckets"]} for name in fields}
        status = dict.fromkeys(NoticeStatus.values, 0)
        for state in result["state"]["buckets"]:
            key = int(state["key"])
            if key == CANCELLED:
                status[NoticeStatus.CANCELLED] += state["doc_count"]
            elif key == AWARDED:
                status[NoticeStatus.AWARDED] += state["doc_count"]
            else:
                for published in state["published"]["buckets"]:
                    if published["key"] == "future":
                        status[NoticeStatus.PLANNED] += published["doc_count"]
                        continue
                    for deadline in published["deadline"]["buckets"]:
                        done = deadline["key"] == "closed"
                        status[NoticeStatus.CLOSED if done else NoticeStatus.OPEN] += deadline["doc_count"]
        self._count = sum(status.values())
        facets["status"] = {value: n for value, n in status.items() if n}
        return {"kind": facets["kind"], "prefecture": facets["prefecture"], "status": facets["status"],
                **({"municipality": facets["municipality"]} if municipalities else {})}
