import datetime as dt
import zoneinfo

import pytest

from qcommunity.core.formatting import uk_date, uk_datetime, uk_time

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
