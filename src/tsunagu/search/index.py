"""The search index kept in step with the notices, whichever engine `SEARCH_ENGINE` names.

- "tantivy" (default): the embedded index of `search.engine`; writes record changes that it applies on commit.
- "database": the database's own index, one backend per database with the same tokens (SQLite FTS5 here,
  PostgreSQL tsvector + GIN), written in the writer's transaction.

Writers call `search_index_notices(ids=...)` inside their transaction (the importer, the demo generator, and
saves and deletions through the ORM via signals), so the index never drifts from the data;
`search_index_rebuild()` builds it anew and `search_index_check()` compares it with the data.
"""

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from tsunagu.notices.models import Notice

from . import engine
from .analysis import Query, to_fts5, tsquery_clause
from .documents import TITLE_WEIGHT, notice_tokens


class SqliteIndex:
    table = "search_notice_fts"

    def store(self, rows: Sequence[tuple[int, list[str], list[str]]]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {self.table} WHERE rowid = %s", [(pk,) for pk, _t, _b in rows])
            cursor.executemany(
                f"INSERT INTO {self.table} (rowid, title, body) VALUES (%s, %s, %s)",
                [(pk, " ".join(title), " ".join(body)) for pk, title, body in rows],
            )

    def delete(self, ids: Iterable[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {self.table} WHERE rowid = %s", [(pk,) for pk in ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")

    def ids_matching_sql(self, expression: str) -> tuple[str, list]:
        return f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s", [expression]

    def filter(self, notices: QuerySet, query: Query) -> QuerySet:
        positive, negative = to_fts5(query)
        notices = notices.filter(id__in=RawSQL(*self.ids_matching_sql(positive)))
        for expression in negative:
            notices = notices.exclude(id__in=RawSQL(*self.ids_matching_sql(expression)))
        return notices

    def best(self, query: Query, limit: int) -> list[int]:
        """The ids of the best `limit` matches of the positive clauses, best first (title weighted)."""
        positive, _negative = to_fts5(query)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {self.table} WHERE {self.table} MATCH %s "
                           f"ORDER BY bm25({self.table}, {TITLE_WEIGHT}, 1.0) LIMIT %s", [positive, limit])
            return [pk for (pk,) in cursor.fetchall()]

    def stored_ids(self) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid FROM {self.table}")
            return {pk for (pk,) in cursor.fetchall()}



# tsvector positions stop at 16,383: a long notice is stored in parts that overlap by more than the longest term,
# so a term near the end of a PDF's worth of text is still found whole in one part.
PART_TOKENS = 16_000
PART_OVERLAP = 512


def _tsvector_literal(tokens: list[str], title_length: int) -> str:
    """Positions are given, not re-parsed by a text-search configuration: the same tokens as SQLite's."""
    parts = []
    for position, token in enumerate(tokens, start=1):
        lexeme = token.replace("\\", "\\\\").replace("'", "''")
        parts.append(f"'{lexeme}':{position}{'A' if position <= title_length else 'D'}")
    return " ".join(parts)


def _parts(title: list[str], body: list[str]) -> list[str]:
    tokens = [*title, *body]
    if len(tokens) <= PART_TOKENS:
        return [_tsvector_literal(tokens, len(title))]
    literals, start = [], 0
    while start < len(tokens):
        literals.append(_tsvector_literal(tokens[start : start + PART_TOKENS], len(title) if start == 0 else 0))
        if start + PART_TOKENS >= len(tokens):
            break
        start += PART_TOKENS - PART_OVERLAP
    return literals


class PostgresIndex:
    table = "search_notice_document"

    def store(self, rows: Sequence[tuple[int, list[str], list[str]]]) -> None:
        self.delete([pk for pk, _t, _b in rows])
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {self.table} (notice_id, part, document) VALUES (%s, %s, %s::tsvector)",
                [(pk, part, literal) for pk, title, body in rows for part, literal in enumerate(_parts(title, body))],
            )

    def delete(self, ids: Iterable[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table} WHERE notice_id = ANY(%s)", [list(ids)])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")

    def ids_matching_sql(self, expression: str) -> tuple[str, list]:
        return f"SELECT notice_id FROM {self.table} WHERE document @@ %s::tsquery", [expression]

    def filter(self, notices: QuerySet, query: Query) -> QuerySet:
        """Clause by clause: a long notice's terms may sit in different parts."""
        positive = []
        for clause in query.clauses:
            expression = tsquery_clause(clause)
            sql = RawSQL(*self.ids_matching_sql(expression))
            if clause.negated:
                notices = notices.exclude(id__in=sql)
            else:
                notices = notices.filter(id__in=sql)
                positive.append(expression)
        return notices

    def best(self, query: Query, limit: int) -> list[int]:
        """The ids of the best `limit` matches of the positive clauses, best first (title weighted)."""
        expression = " | ".join(tsquery_clause(c) for c in query.clauses if not c.negated)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT notice_id FROM {self.table} WHERE document @@ %s::tsquery GROUP BY notice_id "
                f"ORDER BY MAX(ts_rank('{{0.1, 0.2, 0.4, 1.0}}', document, %s::tsquery)) DESC, notice_id LIMIT %s",
                [expression, expression, limit],
            )
            return [pk for (pk,) in cursor.fetchall()]

    def stored_ids(self) -> set[int]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT DISTINCT notice_id FROM {self.table}")
            return {pk for (pk,) in cursor.fetchall()}


def get_index() -> SqliteIndex | PostgresIndex:
    """The database's own index for the database in use."""
    if connection.vendor == "postgresql":
        return PostgresIndex()
    if connection.vendor == "sqlite":
        return SqliteIndex()
    raise NotImplementedError(f"search on {connection.vendor} is not supported")


def uses_embedded_engine() -> bool:
    return settings.SEARCH_ENGINE == "tantivy"


def search_index_notices(*, ids: Iterable[int]) -> int:
    """(Re)index these notices, inside the caller's transaction. Missing ids are removed from the index."""
    ids = list(ids)
    if not ids:
        return 0
    if uses_embedded_engine():
        engine.record_changes(ids)
        return len(ids)
    index = get_index()
    notices = list(Notice.objects.filter(pk__in=ids).select_related("municipality__prefecture").order_by())
    index.store([(n.pk, *notice_tokens(n)) for n in notices])
    gone = set(ids) - {n.pk for n in notices}
    if gone:
        index.delete(gone)
    return len(notices)


def search_index_remove(*, ids: Iterable[int]) -> None:
    ids = list(ids)
    if uses_embedded_engine():
        engine.record_changes(ids)  # applied after the rows are gone: the engine drops what no longer exists
    else:
        get_index().delete(ids)


def search_index_rebuild(*, batch_size: int = 2000) -> int:
    """Build the whole index anew, in batches (each in one transaction)."""
    if uses_embedded_engine():
        return engine.rebuild()
    with transaction.atomic():
        get_index().clear()
    count, last = 0, 0
    while True:
        ids = list(Notice.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not ids:
            return count
        with transaction.atomic():
            count += search_index_notices(ids=ids)
        last = ids[-1]


def search_index_check() -> dict[str, list[int]]:
    """Compare the index with the data: notices missing from it, entries of notices that no longer exist, and (the
    embedded index, which records versions) notices indexed with contents they no longer have."""
    stale: list[int] = []
    if uses_embedded_engine():
        versions = engine.stored_versions()
        stored, stale = set(versions), engine.stale_ids(versions)
    else:
        stored = get_index().stored_ids()
    existing = set(Notice.objects.values_list("pk", flat=True))
    return {"missing": sorted(existing - stored), "orphaned": sorted(stored - existing), "stale": stale}
