from celery import shared_task

from . import services


@shared_task(
    name="qcommunity.notifications.tasks.digest_send_daily",
    acks_late=True,
    soft_time_limit=1800,
    time_limit=1900,
)
def digest_send_daily() -> int:
    """Send each person's daily summary. Running it twice sends nothing twice."""
    return services.digest_send_daily()
