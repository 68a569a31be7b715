"""Notifications about comments: on a team's proposal, and replies."""

from qcommunity.notifications.kinds import NotificationKind, register

GROUP = "Q Exchange"

PROPOSAL_COMMENT = "proposal_comment"
COMMENT_REPLY = "comment_reply"

register(
    NotificationKind(
        key=PROPOSAL_COMMENT,
        label="Comments on your proposals",
        description="When someone comments on a Q Exchange idea or proposal you lead or are "
        "part of.",
        group=GROUP,
        order=30,
        place=1,
    )
)
register(
    NotificationKind(
        key=COMMENT_REPLY,
        label="Replies to your comments",
        description="When someone replies to a comment you wrote.",
        group=GROUP,
        order=30,
        place=2,
    )
)
