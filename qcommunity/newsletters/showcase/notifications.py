"""The newsletter's notifications: decisions on a member's showcase items.
Found when the site starts (`qcommunity.notifications`); services pass these keys to
`notify`."""

from qcommunity.notifications.kinds import NotificationKind, register

GROUP = "Newsletter showcase"

SHOWCASE_DECISION = "showcase_decision"

register(
    NotificationKind(
        key=SHOWCASE_DECISION,
        label="Decisions on your showcase items",
        description="When an editor accepts an item you sent for the newsletter, or returns "
        "it to you.",
        group=GROUP,
        order=60,
    )
)
