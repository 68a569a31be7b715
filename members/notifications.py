"""Notification kinds of the members app (found when the site starts, by
`qcommunity.notifications`), declared by each feature's `notifications.py`."""

from .joining.notifications import APPLICATION_DECISION  # noqa: F401
from .panels.notifications import PANEL_ASSIGNMENT  # noqa: F401
