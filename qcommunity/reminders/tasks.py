from celery import shared_task

from . import services


@shared_task(
    name="qcommunity.reminders.tasks.reminders_send_due",
    acks_late=True,
    soft_time_limit=600,
    time_limit=660,
)
def reminders_send_due() -> int:
    """Send every reminder that is due. Safe to run twice, or twice at once."""
    return services.reminders_send_due()
