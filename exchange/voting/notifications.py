"""The reminder to vote before a round's ballot closes."""

from qcommunity.notifications.kinds import NotificationKind, register

GROUP = "Q Exchange"

EXCHANGE_VOTING_REMINDER = "exchange_voting_reminder"

register(
    NotificationKind(
        key=EXCHANGE_VOTING_REMINDER,
        label="Reminders to vote",
        description="Two days before voting closes in a Q Exchange round, if you have not "
        "voted yet. It comes in its own email even if you choose the daily summary, so that "
        "it reaches you before voting closes.",
        group=GROUP,
        order=30,
        place=5,
    )
)
