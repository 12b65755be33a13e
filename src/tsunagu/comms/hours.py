"""Each person's own hours: when a non-urgent notification may reach them, and when it must wait.

A person's awake hours are their weekly availability windows (Asia/Tokyo); outside them is quiet. A non-urgent
notification raised in quiet hours waits for the person's next digest time that falls inside their hours (or, with no
digest time set, the start of their next window). A person with no windows has no quiet hours. Urgent ones never wait.
"""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")
SEARCH_DAYS = 8  # a weekly pattern repeats within a week; one more day covers the edge


@dataclass(frozen=True)
class Hours:
    windows: tuple[tuple[int, datetime.time, datetime.time], ...] = ()  # (weekday 0=Mon, start, end), local
    digest_times: tuple[datetime.time, ...] = field(default_factory=tuple)

    def is_awake(self, moment: datetime.datetime) -> bool:
        if not self.windows:
            return True
        local = moment.astimezone(TOKYO)
        clock = local.time().replace(tzinfo=None)
        return any(day == local.weekday() and start <= clock < end for day, start, end in self.windows)

    def next_delivery(self, moment: datetime.datetime, *, urgent: bool = False) -> datetime.datetime:
        """The earliest time a notification raised at `moment` may be delivered."""
        if urgent or self.is_awake(moment):
            return moment
        local = moment.astimezone(TOKYO)
        candidates = []
        for offset in range(SEARCH_DAYS):
            day = (local + datetime.timedelta(days=offset)).date()
            times = [t for t in self.digest_times] or [start for weekday, start, _end in self.windows if weekday == day.weekday()]
            for clock in times:
                at = datetime.datetime.combine(day, clock, tzinfo=TOKYO)
                if at > local and self.is_awake(at):
                    candidates.append(at)
            if candidates:
                break
        if not candidates and self.digest_times:  # digest times all fall in quiet hours: use the windows instead
            return Hours(self.windows).next_delivery(moment)
        return min(candidates).astimezone(datetime.UTC) if candidates else moment
