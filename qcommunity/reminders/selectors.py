import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from .models import SentReminder
from .registry import ReminderKind, all_kinds, get_kind
from .services import reminder_key, reminders_wanted, sent_keys

UPCOMING_DAYS = 30
UPCOMING_LIMIT = 200


@dataclass(frozen=True)
class UpcomingReminder:
    kind: ReminderKind
    recipient: object
    subject: object
    due_date: dt.datetime
    send_at: dt.datetime


def reminders_upcoming(
    *, now: dt.datetime | None = None, days: int = UPCOMING_DAYS, limit: int = UPCOMING_LIMIT
) -> tuple[list[UpcomingReminder], int]:
    """Reminders not yet sent whose sending time is before `now + days` (overdue ones the next
    run will send included), soonest first: at most `limit` of them, and how many there are.
    Each kind costs its own due() queries plus one; the number does not grow with rows."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=days)
    upcoming = []
    for kind in all_kinds():
        since, until = now - kind.grace, horizon + kind.lead
        already = sent_keys(kind, since, until)
        for due in reminders_wanted(kind, since, until):
            if kind.send_at(due.due_date) > horizon or reminder_key(due) in already:
                continue
            if not due.recipient.is_active:
                continue
            upcoming.append(
                UpcomingReminder(
                    kind=kind,
                    recipient=due.recipient,
                    subject=due.obj,
                    due_date=due.due_date,
                    send_at=max(kind.send_at(due.due_date), now),
                )
            )
    upcoming.sort(key=lambda reminder: (reminder.send_at, reminder.kind.key))
    return upcoming[:limit], len(upcoming)


def sent_reminder_list() -> QuerySet[SentReminder]:
    return SentReminder.objects.select_related("recipient", "outbox_email").order_by(
        "-created_at", "-id"
    )


def kind_label(key: str) -> str:
    try:
        return get_kind(key).description
    except LookupError:
        return key
