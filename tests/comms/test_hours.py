"""Quiet hours: a non-urgent notification never arrives outside a person's hours; urgent ones never wait."""

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tsunagu.comms.hours import TOKYO, Hours

T = datetime.time


@st.composite
def hours(draw):
    windows = []
    for _ in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, 23 * 60 - 1))
        end = draw(st.integers(start + 1, 24 * 60 - 1))
        windows.append((draw(st.integers(0, 6)), T(start // 60, start % 60), T(end // 60, end % 60)))
    digests = draw(st.lists(st.integers(0, 24 * 60 - 1), max_size=3))
    return Hours(windows=tuple(windows), digest_times=tuple(T(m // 60, m % 60) for m in digests))


moments = st.datetimes(min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2027, 12, 31),
                       timezones=st.just(datetime.UTC))


@settings(max_examples=400, deadline=None)
@given(hours(), moments)
def test_a_non_urgent_delivery_always_falls_inside_the_persons_hours(person, moment):
    due = person.next_delivery(moment)
    assert due >= moment
    assert person.is_awake(due)
    if person.is_awake(moment):
        assert due == moment


@given(hours(), moments)
def test_an_urgent_one_never_waits(person, moment):
    assert person.next_delivery(moment, urgent=True) == moment


def test_a_parent_working_9_30_to_14_gets_the_evening_news_at_her_morning_digest():
    weekdays = Hours(windows=tuple((d, T(9, 30), T(14)) for d in range(5)), digest_times=(T(9, 30), T(13)))
    friday_evening = datetime.datetime(2026, 6, 5, 20, 0, tzinfo=TOKYO)
    assert not weekdays.is_awake(friday_evening)
    assert weekdays.next_delivery(friday_evening) == datetime.datetime(2026, 6, 8, 9, 30, tzinfo=TOKYO)  # Monday
    noon = datetime.datetime(2026, 6, 8, 12, 0, tzinfo=TOKYO)
    assert weekdays.next_delivery(noon) == noon
