"""Scheduled work of joining Q. Tasks take ids (or nothing), call a service, and are
safe to run twice."""

import datetime as dt
import logging

from celery import shared_task
from django.utils import timezone

from .selectors import rounds_release_due
from .services import JoiningError, round_release_decisions

logger = logging.getLogger(__name__)


@shared_task(
    name="members.tasks.joining_release_due",
    acks_late=True,
    soft_time_limit=600,
    time_limit=660,
)
def joining_release_due(now: str | None = None) -> int:
    """Every minute: release the decisions of every round whose release date has come.
    `now` (ISO 8601) stands in for the clock. Each round is released in its own transaction, so
    a round that fails is logged and left for the next run while the others are released.
    Safe to run twice: a released round is not picked again and sends nothing twice. Returns
    how many applications were released."""
    moment = dt.datetime.fromisoformat(now) if now else timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt.UTC)
    released = 0
    for round_ in list(rounds_release_due(moment)):
        try:
            count = round_release_decisions(round_=round_, now=moment)
        except JoiningError as error:
            logger.warning("Decisions of round %s not released: %s", round_.pk, error)
        except Exception:
            logger.exception("Releasing the decisions of round %s failed", round_.pk)
        else:
            released += count
            logger.info("Released %s decisions of round %s", count, round_.pk)
    return released
