"""Scheduled work for the Exchange. Tasks take nothing (or a stand-in clock), call a service,
and are safe to run twice."""

import datetime as dt

from celery import shared_task
from django.utils import timezone

from .services import progress_updates_tell_due


@shared_task(name="exchange.tasks.progress_updates_tell_due", acks_late=True)
def progress_updates_tell_due_task(now: str | None = None) -> int:
    """Every minute: tell followers of progress updates whose round has now announced its
    outcomes. `now` (ISO 8601) stands in for the clock. Returns how many updates were told."""
    moment = dt.datetime.fromisoformat(now) if now else timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    return progress_updates_tell_due(moment)
