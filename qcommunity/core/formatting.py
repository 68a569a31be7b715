"""UK formats: times stored in UTC, shown in Europe/London (21 November 2026, 2:30pm)."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import ngettext


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def uk_date(value: dt.date | dt.datetime | None) -> str:
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value)
    return f"{value.day} {value:%B %Y}"


def uk_time(value: dt.datetime | dt.time | None) -> str:
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value)
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def uk_datetime(value: dt.datetime | None) -> str:
    if not value:
        return ""
    return f"{uk_date(value)}, {uk_time(value)}"


def uk_when(value: dt.datetime | None, *, now: dt.datetime | None = None) -> str:
    """When `value` is, said from `now` (default: this moment) in Europe/London, for sentences
    such as "Comments close {when}": "at 5pm today", "tomorrow at 9am", "on Wednesday 9
    December at midday" (with the year when it is not this year's). Worked out from the real
    dates, never from a rounded number of days, so a reminder sent late still tells the truth."""
    if not value:
        return ""
    local = _local(value)
    today = timezone.localdate(now) if now else timezone.localdate()
    time = uk_time(local)
    if local.date() == today:
        return f"at {time} today"
    if local.date() == today + dt.timedelta(days=1):
        return f"tomorrow at {time}"
    if local.date() == today - dt.timedelta(days=1):
        return f"yesterday at {time}"
    year = f" {local.year}" if local.year != today.year else ""
    return f"on {local:%A} {local.day} {local:%B}{year} at {time}"


def duration_words(seconds: int) -> str:
    """A length of time in the largest whole unit: "2 weeks", "1 day", "12 hours"."""
    for unit, size in (("week", 7 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size and seconds % size == 0:
            count = seconds // size
            return ngettext(f"%(n)d {unit}", f"%(n)d {unit}s", count) % {"n": count}
    return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
