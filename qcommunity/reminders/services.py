"""The reminders engine: find what is due for every registered kind and send each reminder once.

Each reminder is a SentReminder row first (unique on kind, object, recipient and due date), and
its email is queued through the outbox in the same transaction, only when that row was newly
created. Two runs at once cannot both create the row: the second insert waits on the unique
index until the first commits, then finds the row and sends nothing.

A kind with a `notification_kind` is not sent to members who turned that kind off (see
registry); its email gets `preferences_url` to say where to change that.
"""

import datetime as dt
import logging
from collections.abc import Iterator

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from qcommunity.accounts.models import User
from qcommunity.notifications.selectors import notification_wanted
from qcommunity.outbox.services import email_queue_template

from .models import SentReminder
from .registry import Due, ReminderKind, all_kinds

logger = logging.getLogger(__name__)


def reminder_window(kind: ReminderKind, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Due dates the engine acts on at `now`: their sending time has come, and they passed no
    more than the kind's grace period ago (so a missed run catches up, within reason)."""
    return now - kind.grace, now + kind.lead


def reminder_key(due: Due) -> tuple[int, str, int, dt.datetime]:
    content_type = ContentType.objects.get_for_model(due.obj)
    return content_type.pk, str(due.obj.pk), due.recipient.pk, due.due_date


def sent_keys(
    kind: ReminderKind, since: dt.datetime, until: dt.datetime
) -> set[tuple[int, str, int, dt.datetime]]:
    """The reminders of `kind` already sent for due dates in [since, until]. One query."""
    return set(
        SentReminder.objects.filter(
            kind=kind.key, due_date__gte=since, due_date__lte=until
        ).values_list("content_type_id", "object_id", "recipient_id", "due_date")
    )


def reminders_wanted(kind: ReminderKind, since: dt.datetime, until: dt.datetime) -> Iterator[Due]:
    """`kind`'s reminders due in [since, until], less those to members who turned its
    notification kind off: one query for all recipients, only when the kind has one and
    something is due."""
    if not kind.notification_kind:
        yield from kind.due(since=since, until=until)
        return
    dues = list(kind.due(since=since, until=until))
    if not dues:
        return
    wanting = set(
        User.objects.filter(pk__in={due.recipient.pk for due in dues})
        .filter(notification_wanted(kind.notification_kind))
        .values_list("pk", flat=True)
    )
    yield from (due for due in dues if due.recipient.pk in wanting)


def reminder_send(
    *, kind: ReminderKind, due: Due, now: dt.datetime | None = None
) -> SentReminder | None:
    """Record and queue one reminder, in one transaction. Returns the new row, or None when this
    reminder was already recorded (by an earlier run or one running now). Templates get
    `sent_at` (`now`) to word dates from it: `{{ closes_at | uk_when(now=sent_at) }}`."""
    content_type = ContentType.objects.get_for_model(due.obj)
    with transaction.atomic():
        row, created = SentReminder.objects.get_or_create(
            kind=kind.key,
            content_type=content_type,
            object_id=str(due.obj.pk),
            recipient=due.recipient,
            due_date=due.due_date,
        )
        if not created:
            return None
        context = {
            "recipient_name": due.recipient.display_name,
            "due_date": due.due_date,
            "object": due.obj,
            "site_url": settings.SITE_URL,
            "sent_at": now or timezone.now(),
        }
        if kind.notification_kind:
            context["preferences_url"] = settings.SITE_URL + reverse("notifications:preferences")
        row.outbox_email = email_queue_template(
            to=due.recipient.email,
            kind=kind.template,
            related=due.obj,
            context={**context, **due.context},
        )
        row.save(update_fields=["outbox_email"])
    return row


def reminder_kind_send_due(*, kind: ReminderKind, now: dt.datetime) -> int:
    """Send every reminder of `kind` that is due at `now` and not yet sent. Returns how many
    this call sent."""
    since, until = reminder_window(kind, now)
    already = sent_keys(kind, since, until)
    sent = 0
    for due in reminders_wanted(kind, since, until):
        if not (since <= due.due_date and kind.send_at(due.due_date) <= now):
            continue
        if not due.recipient.is_active or reminder_key(due) in already:
            continue
        try:
            if reminder_send(kind=kind, due=due, now=now) is not None:
                sent += 1
        except Exception:  # one broken reminder must not hold up the rest; it retries next run
            logger.exception(
                "reminders: %s for %s to user %s failed", kind.key, due.obj.pk, due.recipient.pk
            )
    return sent


def reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """Run every registered kind. Safe to run twice, or twice at once. Returns how many
    reminders this run sent."""
    now = now or timezone.now()
    return sum(reminder_kind_send_due(kind=kind, now=now) for kind in all_kinds())
