"""Fast paths for inserting many rows of one model: one statement per batch (COPY on PostgreSQL).

Used by the importer (new notices) and the demo generator, where bulk_create's per-value compiler work
was most of the time. Values are adapted with each field's own `get_db_prep_save`, so what lands in the
database is what the ORM would write, on SQLite and on PostgreSQL.
"""

from collections.abc import Sequence

from django.db import connection, models
from django.utils import timezone

_NEEDS_ADAPTING = (
    models.DateField, models.TimeField, models.DecimalField, models.JSONField, models.UUIDField,
    models.DurationField, models.BinaryField,
)  # fmt: skip


class RowWriter:
    """Insert rows given as tuples of database-ready values, `executemany` in one statement per batch.

    Django's `bulk_create` prepares every value of every object through its SQL compiler (about 100 µs a
    notice) and splits a batch into statements of at most 999 parameters on SQLite; here the caller prepares
    values once and each batch is one statement (COPY on PostgreSQL). Columns it does not generate get their field's default; `auto_now(_add)` columns the batch's time.
    With `with_ids` the primary keys are allocated up front (the awards need them), inside the caller's
    transaction: a sequence on PostgreSQL, the table's high-water mark under SQLite's write lock.
    """

    def __init__(self, model, names: Sequence[str], *, with_ids: bool) -> None:
        opts = model._meta
        self.model = model
        self.with_ids = with_ids
        fields = [opts.get_field(name) for name in names]
        rest = [f for f in opts.concrete_fields if f not in fields and not f.primary_key]
        self.now_fields = [f for f in rest if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
        self.default_fields = [f for f in rest if f not in self.now_fields]
        columns = [f.column for f in (*fields, *self.now_fields, *self.default_fields)]
        if with_ids:
            columns.insert(0, opts.pk.column)
        quote = connection.ops.quote_name
        self.table = opts.db_table
        self.sql = (
            f"INSERT INTO {quote(self.table)} ({', '.join(map(quote, columns))}) VALUES ({', '.join(['%s'] * len(columns))})"
        )
        self.copy_sql = f"COPY {quote(self.table)} ({', '.join(map(quote, columns))}) FROM STDIN"

    def write(self, rows: list[tuple]) -> list[int]:
        if not rows:
            return []
        now = timezone.now()
        constants = tuple(f.get_db_prep_save(now, connection) for f in self.now_fields) + tuple(
            f.get_db_prep_save(f.get_default(), connection) for f in self.default_fields
        )
        with connection.cursor() as cursor:
            ids = self._allocate_ids(cursor, len(rows)) if self.with_ids else []
            if ids:
                values = [(pk, *row, *constants) for pk, row in zip(ids, rows, strict=True)]
            else:
                values = [(*row, *constants) for row in rows]
            if connection.vendor == "postgresql":  # COPY: twice as fast as a pipelined executemany
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                cursor.executemany(self.sql, values)
            return ids

    def _allocate_ids(self, cursor, count: int) -> list[int]:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(self.table), self.model._meta.pk.column, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        if connection.vendor == "sqlite":
            # AUTOINCREMENT never reuses an id: start above both the largest row and the recorded sequence.
            quote = connection.ops.quote_name
            cursor.execute(
                f"SELECT MAX(COALESCE((SELECT MAX({quote(self.model._meta.pk.column)}) FROM {quote(self.table)}), 0),"
                " COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0))",
                [self.table],
            )
            start = cursor.fetchone()[0] + 1
            return list(range(start, start + count))
        raise NotImplementedError(f"allocating ids on {connection.vendor} is not supported")


def bulk_insert(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """INSERT `objects` (unsaved instances with their values set); their ids are allocated up front and set on
    them. Call inside a transaction. auto_now/auto_now_add columns get the batch's time; no signals are sent."""
    if not objects:
        return
    fields = [
        f for f in model._meta.concrete_fields
        if not f.primary_key and not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
    ]
    adapters = [
        (f.attname, (lambda v, f=f: f.get_db_prep_save(v, connection)) if isinstance(f, _NEEDS_ADAPTING) else None)
        for f in fields
    ]
    rows = [
        tuple(
            obj.__dict__[name] if adapt is None or obj.__dict__[name] is None else adapt(obj.__dict__[name])
            for name, adapt in adapters
        )
        for obj in objects
    ]
    ids = RowWriter(model, [f.name for f in fields], with_ids=True).write(rows)
    for obj, pk in zip(objects, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
