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
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import models


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

    def send_at(self, due_date: dt.datetime) -> dt.datetime:
        return due_date - self.lead


_REGISTRY: dict[str, ReminderKind] = {}


def register(
    kind: ReminderKind | None = None,
    *,
    key: str = "",
    description: str = "",
    template: str = "",
    lead: dt.timedelta = dt.timedelta(0),
    grace: dt.timedelta = dt.timedelta(days=1),
):
    """Register a ReminderKind, or use as a decorator on its due() function with the same
    fields as keyword arguments. Keys are unique."""
    if kind is not None:
        if kind.key in _REGISTRY:
            raise ValueError(f"Reminder kind {kind.key!r} is already registered.")
        _REGISTRY[kind.key] = kind
        return kind

    def decorator(due: DueFunction) -> DueFunction:
        register(
            ReminderKind(
                key=key,
                description=description,
                template=template,
                lead=lead,
                grace=grace,
                due=due,
            )
        )
        return due

    return decorator


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def get_kind(key: str) -> ReminderKind:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise LookupError(f"No reminder kind {key!r} is registered.") from None


def all_kinds() -> list[ReminderKind]:
    return sorted(_REGISTRY.values(), key=lambda kind: kind.key)
