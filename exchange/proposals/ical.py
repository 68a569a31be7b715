"""A proposal's plan as an iCalendar file (RFC 5545), written by hand: one all-day event per
timeline step, text escaped, lines folded at 75 octets, CRLF line ends, a stable UID per step.
Dropped steps are kept, marked cancelled, so calendars that imported them update."""

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from .enums import TimelineStatus
from .models import Proposal, TimelineItem

PRODID = "-//Q Community//Q Exchange plan//EN"


def ical_escape(text: str) -> str:
    """TEXT values: backslash, semicolon and comma escaped, line breaks as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def ical_fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets, never inside a UTF-8 character;
    each continuation starts with one space."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not parts else 74  # continuation lines carry the leading space
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _item_lines(item: TimelineItem, proposal: Proposal, *, host: str, stamp: str, url: str):
    summary = item.title
    description = [f"{proposal.title}: plan step."]
    if item.status == TimelineStatus.DONE:
        summary = f"{item.title} (done)"
    elif item.status == TimelineStatus.MOVED:
        description.append(f"Moved from {item.planned_on:%d %B %Y}: {item.change_reason}")
    elif item.status == TimelineStatus.DROPPED:
        description.append(f"Dropped: {item.change_reason}")
    description.append(url)
    yield "BEGIN:VEVENT"
    yield f"UID:exchange-timeline-{item.pk}@{host}"
    yield f"DTSTAMP:{stamp}"
    yield f"DTSTART;VALUE=DATE:{_date(item.on)}"
    yield f"DTEND;VALUE=DATE:{_date(item.on + dt.timedelta(days=1))}"
    yield f"SUMMARY:{ical_escape(summary)}"
    yield f"DESCRIPTION:{ical_escape(chr(10).join(description))}"
    yield f"URL:{url}"
    yield "TRANSP:TRANSPARENT"
    if item.status == TimelineStatus.DROPPED:
        yield "STATUS:CANCELLED"
    else:
        yield "STATUS:CONFIRMED"
    yield "END:VEVENT"


def plan_ical(proposal: Proposal, items: Iterable[TimelineItem], *, now=None) -> str:
    """The calendar text for `items` (the proposal's timeline)."""
    host = urlsplit(settings.SITE_URL).hostname or "q-community"
    stamp = (now or timezone.now()).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    url = f"{settings.SITE_URL}/exchange/proposals/{proposal.slug}/"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{ical_escape(proposal.title)}",
    ]
    for item in items:
        lines.extend(_item_lines(item, proposal, host=host, stamp=stamp, url=url))
    lines.append("END:VCALENDAR")
    return "".join(ical_fold(line) + "\r\n" for line in lines)
