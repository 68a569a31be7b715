"""Q Exchange's notifications: comments and replies, decisions, progress updates,
reminders to vote and proposals to review.
Found when the site starts (`qcommunity.notifications`); services pass these keys to
`notify`."""

from qcommunity.notifications.kinds import NotificationKind, register

GROUP = "Q Exchange"

PROPOSAL_COMMENT = "proposal_comment"
COMMENT_REPLY = "comment_reply"
PROPOSAL_DECISION = "proposal_decision"
PROPOSAL_PROGRESS_UPDATE = "proposal_progress_update"
EXCHANGE_VOTING_REMINDER = "exchange_voting_reminder"
EXCHANGE_REVIEW_ASSIGNMENT = "exchange_review_assignment"

register(
    NotificationKind(
        key=PROPOSAL_COMMENT,
        label="Comments on your proposals",
        description="When someone comments on a Q Exchange idea or proposal you lead or are "
        "part of.",
        group=GROUP,
        order=30,
    )
)
register(
    NotificationKind(
        key=COMMENT_REPLY,
        label="Replies to your comments",
        description="When someone replies to a comment you wrote.",
        group=GROUP,
        order=30,
    )
)
register(
    NotificationKind(
        key=PROPOSAL_DECISION,
        label="Shortlisting and funding decisions",
        description="When a proposal you lead or are part of is shortlisted, funded or not funded.",
        group=GROUP,
        # A decision about the member's own proposal, like one on their application: the page
        # says such decisions are always sent, so it offers no choice.
        required=True,
        order=30,
    )
)
register(
    NotificationKind(
        key=PROPOSAL_PROGRESS_UPDATE,
        label="Progress updates on proposals you follow, supported or commented on",
        description="When the team of a funded Q Exchange project you support or commented on "
        "posts a progress update.",
        group=GROUP,
        order=30,
    )
)
register(
    NotificationKind(
        key=EXCHANGE_VOTING_REMINDER,
        label="Reminders to vote",
        description="Two days before voting closes in a Q Exchange round, if you have not "
        "voted yet. It comes in its own email even if you choose the daily summary, so that "
        "it reaches you before voting closes.",
        group=GROUP,
        order=30,
    )
)
register(
    NotificationKind(
        key=EXCHANGE_REVIEW_ASSIGNMENT,
        label="Proposals given to you to review",
        description="When you are asked to review Q Exchange proposals as a shortlisting panel "
        "member.",
        group=GROUP,
        order=30,
    )
)
