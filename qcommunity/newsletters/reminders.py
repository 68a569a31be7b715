"""Reminders the newsletters register with the reminders engine (qcommunity.reminders), each
declared in its feature's reminders.py."""

from .issues import reminders as issues_reminders  # noqa: F401
