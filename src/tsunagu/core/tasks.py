from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .health import queue_heartbeat_record


@db_periodic_task(crontab(minute="*"))
def queue_heartbeat() -> None:
    """The worker says it is alive: /health/ reports the queue as down when the beats stop."""
    queue_heartbeat_record()
