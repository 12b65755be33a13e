"""Is the site healthy? The database answers, a queue worker is alive, the search index opens. For monitoring and
load balancers: GET /health/ (200 when every check passes, 503 otherwise)."""

import time

from django.core.cache import cache
from django.db import connection

HEARTBEAT_KEY = "tsunagu:queue-heartbeat"
HEARTBEAT_MAX_AGE_SECONDS = 300  # the worker beats every minute: five missed beats mean it is gone


def queue_heartbeat_record() -> None:
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor}


def _queue() -> dict:
    from huey.contrib.djhuey import HUEY

    beat = cache.get(HEARTBEAT_KEY)
    age = None if beat is None else round(time.time() - beat)
    pending = HUEY.pending_count()
    if age is None:
        return {"ok": False, "pending": pending, "problem": "no queue worker has been seen (tsunagu run_huey)"}
    if age > HEARTBEAT_MAX_AGE_SECONDS:
        return {"ok": False, "pending": pending, "last_seen_seconds_ago": age, "problem": "the queue worker stopped"}
    return {"ok": True, "pending": pending, "last_seen_seconds_ago": age}


def _search_index() -> dict:
    from tsunagu.search.index import uses_embedded_engine
    from tsunagu.search.models import IndexChange

    if not uses_embedded_engine():
        return {"ok": True, "engine": "database"}
    from tsunagu.search.engine import indexed_count

    return {"ok": True, "engine": "tantivy", "documents": indexed_count(), "pending_changes": IndexChange.objects.count()}


CHECKS = {"database": _database, "queue": _queue, "search_index": _search_index}


def health_report() -> dict:
    """Each check's result; a check that raises is reported as failed with the error's type (never its text, which
    could carry connection details)."""
    report = {}
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as error:  # noqa: BLE001 — a failing dependency is what this reports
            report[name] = {"ok": False, "problem": type(error).__name__}
    report["ok"] = all(part["ok"] for part in report.values())
    return report
