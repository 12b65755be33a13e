"""A fast path for inserting many rows of one model: one executemany per batch.

Django's bulk_create splits a batch into statements of at most 999 parameters on SQLite and prepares
each value through the SQL compiler; for a 30-column table that is ~30 rows a statement and most of
an import's time. Here each value is adapted once with the field's own `get_db_prep_save` (only for
fields whose database form differs from the Python value), so the result matches what the ORM writes
on SQLite and on PostgreSQL.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models, router

_NEEDS_ADAPTING = (
    models.DateField, models.TimeField, models.DecimalField, models.JSONField, models.UUIDField,
    models.DurationField, models.BinaryField,
)  # fmt: skip


def bulk_insert(model: type[models.Model], objects: Sequence[models.Model], *, using: str | None = None) -> None:
    """INSERT `objects` (unsaved instances with every value already set) without fetching their ids.

    Callers set auto_now/auto_now_add values themselves; no signals are sent, as with bulk_create."""
    if not objects:
        return
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or getattr(objects[0], f.attname) is not None]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields), ", ".join(["%s"] * len(fields))
    )
    adapters = [
        (f.attname, (lambda v, f=f: f.get_db_prep_save(v, connection)) if isinstance(f, _NEEDS_ADAPTING) else None)
        for f in fields
    ]

    def rows() -> Iterable[list[Any]]:
        for obj in objects:
            values = obj.__dict__
            yield [values[name] if adapt is None or values[name] is None else adapt(values[name]) for name, adapt in adapters]

    with connection.cursor() as cursor:
        cursor.executemany(sql, list(rows()))
