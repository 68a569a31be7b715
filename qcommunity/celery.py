"""The Celery application. Tasks take ids, run after commit and are safe to run twice."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qcommunity.settings.development")

app = Celery("qcommunity")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
