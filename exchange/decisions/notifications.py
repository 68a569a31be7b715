"""Notifications about decisions and progress updates."""

from qcommunity.notifications.kinds import NotificationKind, register

GROUP = "Q Exchange"

PROPOSAL_DECISION = "proposal_decision"
PROPOSAL_PROGRESS_UPDATE = "proposal_progress_update"

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
        place=3,
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
        place=4,
    )
)
