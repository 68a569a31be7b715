"""Proposals given to a panel member to review."""

from qcommunity.notifications.kinds import NotificationKind, register

GROUP = "Q Exchange"

EXCHANGE_REVIEW_ASSIGNMENT = "exchange_review_assignment"

register(
    NotificationKind(
        key=EXCHANGE_REVIEW_ASSIGNMENT,
        label="Proposals given to you to review",
        description="When you are asked to review Q Exchange proposals as a shortlisting panel "
        "member.",
        group=GROUP,
        order=30,
        place=6,
    )
)
