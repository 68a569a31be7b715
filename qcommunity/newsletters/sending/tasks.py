from celery import shared_task
from django.conf import settings

from . import services


@shared_task(
    name="qcommunity.newsletters.tasks.issue_send",
    acks_late=True,
    soft_time_limit=900,
    time_limit=960,
)
def issue_send(issue_id: int, after_pk: int = 0) -> int:
    """Write the deliveries of an issue that is sending, from subscription `after_pk` on, at
    most NEWSLETTER_FAN_OUT_TASK_CHUNKS chunks, then hand on to a new task. Idempotent: a second
    run writes nothing twice and a run for an issue not sending does nothing."""
    return services.issue_send(
        issue_id=issue_id,
        after_pk=after_pk,
        max_chunks=getattr(settings, "NEWSLETTER_FAN_OUT_TASK_CHUNKS", 50),
    )


@shared_task(
    name="qcommunity.newsletters.tasks.issues_send_due",
    acks_late=True,
    soft_time_limit=100,
    time_limit=120,
)
def issues_send_due() -> int:
    """Every minute: start scheduled issues that are due, pick up unfinished ones."""
    return len(services.issues_start_due())
