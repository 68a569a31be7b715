from celery import shared_task
from django.conf import settings

from . import services


@shared_task(
    name="qcommunity.outbox.tasks.outbox_send_queued",
    acks_late=True,
    soft_time_limit=240,
    time_limit=300,
)
def outbox_send_queued() -> int:
    """Send what is due. Safe to run twice at once: rows are claimed with SKIP LOCKED. A run
    sends at most OUTBOX_TASK_BATCHES batches, then queues another run if it was cut short, so
    a large send moves on in tasks of bounded length. The beat schedule runs it every minute
    too, so sending resumes from the database even if the broker lost every queued task."""
    batches = getattr(settings, "OUTBOX_TASK_BATCHES", 50)
    claimed = services.outbox_send_queued(max_batches=batches)
    if claimed >= batches * settings.OUTBOX_BATCH_SIZE and not settings.CELERY_TASK_ALWAYS_EAGER:
        outbox_send_queued.delay()
    return claimed
