import datetime as dt
import zoneinfo

import pytest

from qcommunity.core.formatting import uk_date, uk_datetime, uk_time, uk_when

UTC = dt.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.datetime(2026, 11, 21, 14, 30, tzinfo=UTC), "21 November 2026, 2:30pm"),
        # British Summer Time: 13:05 UTC is 2:05pm in London.
        (dt.datetime(2026, 7, 1, 13, 5, tzinfo=UTC), "1 July 2026, 2:05pm"),
        (dt.datetime(2026, 3, 9, 12, 0, tzinfo=LONDON), "9 March 2026, midday"),
        (dt.datetime(2026, 3, 9, 0, 0, tzinfo=LONDON), "9 March 2026, midnight"),
        (dt.datetime(2026, 3, 9, 9, 0, tzinfo=LONDON), "9 March 2026, 9am"),
    ],
)
def test_uk_datetime(value, expected):
    assert uk_datetime(value) == expected


def test_uk_date_and_time_of_plain_values():
    assert uk_date(dt.date(2027, 1, 2)) == "2 January 2027"
    assert uk_time(dt.time(23, 59)) == "11:59pm"
    assert uk_date(None) == ""


# uk_when: a date said from now, for reminders (issue 13: "close in 3 days" sent for about 2) ----


def _london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("value", "now", "words"),
    [
        # Same day, any time before it.
        (_london(2026, 12, 7, 17, 0), _london(2026, 12, 7, 0, 1), "at 5pm today"),
        # A minute after midnight is tomorrow, however few hours away.
        (_london(2026, 12, 8, 0, 1), _london(2026, 12, 7, 23, 59), "tomorrow at 12:01am"),
        (_london(2026, 12, 8, 9, 0), _london(2026, 12, 7, 9, 0), "tomorrow at 9am"),
        # About two days away by the clock: the real date, never "in 3 days".
        (
            _london(2026, 12, 9, 12, 0),
            _london(2026, 12, 6, 13, 0),
            "on Wednesday 9 December at midday",
        ),
        (
            _london(2026, 12, 9, 12, 0),
            _london(2026, 12, 7, 11, 0),
            "on Wednesday 9 December at midday",
        ),
        # Summer time: 23:30 UTC on 1 June is already 2 June in London.
        (
            dt.datetime(2026, 6, 1, 23, 30, tzinfo=dt.UTC),
            _london(2026, 6, 1, 10, 0),
            "tomorrow at 12:30am",
        ),
        # Another year says so.
        (_london(2027, 1, 8, 9, 0), _london(2026, 12, 30, 9, 0), "on Friday 8 January 2027 at 9am"),
        (_london(2026, 12, 6, 18, 0), _london(2026, 12, 7, 9, 0), "yesterday at 6pm"),
    ],
)
def test_uk_when_words_the_real_date(value, now, words):
    assert uk_when(value, now=now) == words
