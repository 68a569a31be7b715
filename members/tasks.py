"""Scheduled work of the members app, found by Celery here; each task lives in its feature and
keeps its name (`members.tasks.<task>`), which the beat schedule uses."""

from .coffee.tasks import coffee_pair_monthly  # noqa: F401
from .joining.tasks import joining_release_due  # noqa: F401
