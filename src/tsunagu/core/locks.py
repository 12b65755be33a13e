"""A lock shared by every process that writes the same data."""

import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def exclusive(name: str) -> Iterator[None]:
    """Wait until no other process holds `name`, then hold it. On PostgreSQL this is an advisory lock
    (two imports deciding at once to create the same row would otherwise collide); SQLite already lets
    one writer at a time in (IMMEDIATE transactions), so there it is a no-op."""
    if connection.vendor != "postgresql":
        yield
        return
    key = zlib.crc32(name.encode("utf-8"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
