"""Reminders the members app registers with the reminders engine (qcommunity.reminders),
declared in each feature's `reminders.py`."""

from .directory import reminders as directory_reminders  # noqa: F401
from .joining import reminders as joining_reminders  # noqa: F401
from .panels import reminders as panels_reminders  # noqa: F401
