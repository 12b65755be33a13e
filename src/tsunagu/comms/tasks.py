"""Queue adapters: take ids, call one service."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .services import deliveries_send


@db_task()
def deliveries_send_task() -> int:
    return deliveries_send()


@db_periodic_task(crontab(minute="*"))
def deliveries_send_every_minute() -> int:
    """Digests go out at the minute they are due; failed sends come back here after their back-off."""
    return deliveries_send()


@db_periodic_task(crontab(hour="7", minute="0"))
def meeting_reminders_task() -> int:
    from .meetings import meeting_reminders_send

    return meeting_reminders_send()
