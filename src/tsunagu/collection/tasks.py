"""Queue adapters: take ids, call one service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .watcher import sources_check_due


@db_periodic_task(crontab(minute="15"))
def sources_watch_task() -> int:
    """Every hour, the sources not looked at for six hours."""
    return sources_check_due()
