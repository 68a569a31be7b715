"""Notifications of the joining panels: applications given to a reviewer.
Found when the site starts (`qcommunity.notifications`); services pass these keys to
`notify`."""

from qcommunity.notifications.kinds import NotificationKind, register

from ..joining.notifications import GROUP

PANEL_ASSIGNMENT = "panel_assignment"

register(
    NotificationKind(
        key=PANEL_ASSIGNMENT,
        label="Applications given to you to review",
        description="When you are asked to review applications as a panel member.",
        group=GROUP,
        order=20,
        place=2,
    )
)
