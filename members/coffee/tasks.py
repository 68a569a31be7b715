"""Scheduled work of random coffee. Tasks take ids (or nothing), call a service, and are
safe to run twice."""

import logging

from celery import shared_task
from django.utils import timezone

from .services import coffee_run_month

logger = logging.getLogger(__name__)


@shared_task(
    name="members.tasks.coffee_pair_monthly",
    acks_late=True,
    autoretry_for=(ConnectionError,),
    retry_backoff=True,
    max_retries=3,
)
def coffee_pair_monthly() -> int:
    """Pair this month's random coffee. Running it again in the same month pairs only members
    who were not paired yet. Returns how many pairs it made."""
    return len(coffee_run_month(month=timezone.localdate()))
