from celery import shared_task

from . import services


@shared_task(
    name="qcommunity.outbox.tasks.outbox_send_queued",
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
)
def outbox_send_queued() -> int:
    """Send what is due. Safe to run twice at once: rows are claimed with SKIP LOCKED."""
    return services.outbox_send_queued()
