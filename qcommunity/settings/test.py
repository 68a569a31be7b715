"""The test suite: real PostgreSQL and Redis, fast password hashing, tasks run in-process."""

import os

from .base import *  # noqa: F403
from .base import CACHES, REDIS_URL

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
MAILERS = {
    "default": {"BACKEND": "qcommunity.outbox.backends.OutboxBackend"},
    "delivery": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if REDIS_URL:
    # One Redis database per xdist worker, so clearing the cache between tests is private.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or "0"
    base = REDIS_URL.rsplit("/", 1)[0] if REDIS_URL.count("/") > 2 else REDIS_URL
    CACHES["default"]["LOCATION"] = f"{base}/{1 + int(worker)}"

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
# The mail provider's webhooks are tested with basic auth, as production requires.
ANYMAIL = {"WEBHOOK_SECRET": "anymail-test:webhook-secret-for-tests"}
