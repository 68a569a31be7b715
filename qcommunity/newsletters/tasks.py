"""The newsletters' Celery tasks, found here by Celery's autodiscovery; each is defined in its
feature's tasks.py under the name it has always had."""

from .sending.tasks import issue_send, issues_send_due  # noqa: F401
