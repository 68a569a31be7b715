"""The newsletters' notification kinds (found when the site starts, `qcommunity.notifications`),
declared in each feature's notifications.py."""

from .showcase.notifications import SHOWCASE_DECISION  # noqa: F401
