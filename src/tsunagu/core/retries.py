"""One rule for sending that failed (a notification, a team post, an alert mail or Slack post): record why, try again
after 2, 4, 8, 16 minutes, give up after MAX_ATTEMPTS. The row has attempts, last_error, status and deliver_after."""

import datetime

MAX_ATTEMPTS = 5
FAILED = "failed"  # the status value every sending row uses for "given up"


def send_failed(row, exc: Exception, now: datetime.datetime) -> None:
    row.attempts += 1
    row.last_error = str(exc)[:500]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = FAILED
    else:
        row.deliver_after = now + datetime.timedelta(minutes=2 ** row.attempts)
    row.save(update_fields=["attempts", "last_error", "status", "deliver_after"])
