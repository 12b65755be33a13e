"""Queue adapters: take ids, call one service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import submissions_auto_accept


@db_periodic_task(crontab(minute="*/15"))
def submissions_auto_accept_task() -> int:
    """Submissions whose review window closed are accepted within a quarter of an hour (the worker runs this)."""
    return submissions_auto_accept()
