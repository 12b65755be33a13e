"""Queue adapters: the alert round every five minutes (matching, due digests, sending and retries)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .delivery import alerts_run


@db_periodic_task(crontab(minute="*/5"))
def alerts_every_five_minutes() -> dict[str, int]:
    """Instant alerts within five minutes; daily and weekly digests at the first round after 07:00 Tokyo time
    (decided by the service from the time, so the queue's clock zone doesn't matter); failed sends after back-off."""
    return alerts_run()
