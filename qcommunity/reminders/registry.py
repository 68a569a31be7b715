"""Reminder kinds, registered in code by the apps that own the objects.

An app declares in its `reminders.py`:

    @register(key="members.directory_confirm", description="...",
              template="reminder_directory_confirm", lead=timedelta(0), grace=timedelta(days=30))
    def directory_entries_due(*, since, until):
        for profile in ...:
            yield Due(obj=profile, recipient=profile.user, due_date=..., context={...})

`due(since=, until=)` yields every reminder whose due date falls in [since, until]. The engine
asks for [now - grace, now + lead]: everything whose sending time (due date - lead) has come,
including reminders a stopped beat missed, but nothing whose due date passed more than `grace`
ago. The staff page asks for the next 30 days. A window, rather than only `now`, keeps each
kind's query bounded however much history there is.

A kind may name a `notification_kind` (qcommunity.notifications.kinds): members who set that
kind to "Do not email me" at /me/notifications/ are not sent the reminder. The engine drops them
with one query per run for all recipients; a due() should also filter them out in its own query
with `notification_wanted(kind_key)` (qcommunity.notifications.selectors) so they are never
loaded. "Daily summary" counts as wanting it: a reminder is about a date, so it still comes in its
own email, and the kind's description should say so.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models

from qcommunity.core.registry import Registry
from qcommunity.notifications.kinds import get_kind as get_notification_kind


@dataclass(frozen=True)
class Due:
    """One reminder to send: about `obj`, to `recipient`, for `due_date`. `context` goes to the
    email template along with these."""

    obj: models.Model
    recipient: models.Model
    due_date: dt.datetime
    context: dict = field(default_factory=dict)


DueFunction = Callable[..., Iterable[Due]]


@dataclass(frozen=True)
class ReminderKind:
    key: str
    description: str
    template: str  # the email kind: templates/emails/<template>/{subject.txt,body.txt,body.html}
    lead: dt.timedelta  # how long before the due date to send
    due: DueFunction
    grace: dt.timedelta = dt.timedelta(days=1)  # how late a missed reminder may still go
    notification_kind: str = ""  # the notification kind whose "off" stops it; "" for none

    def send_at(self, due_date: dt.datetime) -> dt.datetime:
        return due_date - self.lead


def _check(kind: ReminderKind) -> None:
    if kind.notification_kind:
        get_notification_kind(kind.notification_kind)  # LookupError for a misspelt key


KINDS: Registry[ReminderKind] = Registry(
    "Reminder kind", order=lambda kind: (kind.key,), check=_check
)


def register(
    kind: ReminderKind | None = None,
    *,
    key: str = "",
    description: str = "",
    template: str = "",
    lead: dt.timedelta = dt.timedelta(0),
    grace: dt.timedelta = dt.timedelta(days=1),
    notification_kind: str = "",
):
    """Register a ReminderKind, or use as a decorator on its due() function with the same
    fields as keyword arguments. Keys are unique; a notification kind must be registered."""
    if kind is not None:
        return KINDS.register(kind)

    def decorator(due: DueFunction) -> DueFunction:
        register(
            ReminderKind(
                key=key,
                description=description,
                template=template,
                lead=lead,
                grace=grace,
                notification_kind=notification_kind,
                due=due,
            )
        )
        return due

    return decorator


unregister = KINDS.unregister
get_kind = KINDS.get
all_kinds = KINDS.all
