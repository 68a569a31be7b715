"""Q Exchange's scheduled tasks, gathered from its features so Celery finds them."""

from .decisions.tasks import progress_updates_tell_due_task  # noqa: F401
