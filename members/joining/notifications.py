"""Notifications of joining Q: decisions on an application, applications to review.
Found when the site starts (`qcommunity.notifications`); services pass these keys to
`notify`."""

from qcommunity.notifications.kinds import NotificationKind, register

GROUP = "Membership and panels"

APPLICATION_DECISION = "application_decision"

register(
    NotificationKind(
        key=APPLICATION_DECISION,
        label="Decisions on your membership application",
        description="When a panel decides on your application to join Q.",
        group=GROUP,
        required=True,
        order=20,
        place=1,
    )
)
