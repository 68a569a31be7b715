"""The kinds of notification the site sends, declared in code. Apps call `notify(kind=...)` with
one of these keys; members choose how they get each one at /me/notifications/.

A kind is `required` when the service must send it whatever the member chooses (account
security, decisions on their own application, Q Exchange proposal or accreditation case): such
kinds are always sent straight away and shown as "Always sent" on the preferences page.
"""

from dataclasses import dataclass

from .enums import Delivery


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str
    description: str
    group: str
    default: Delivery = Delivery.IMMEDIATELY
    required: bool = False


# Group headings in the order the preferences page shows them.
GROUP_ACCOUNT = "Your account"
GROUP_MEMBERSHIP = "Membership and panels"
GROUP_EXCHANGE = "Q Exchange"
GROUP_LABS = "Labs"
GROUP_ACCREDITATION = "Quality Mark accreditation"
GROUP_NEWSLETTER = "Newsletter showcase"
GROUPS = [
    GROUP_ACCOUNT,
    GROUP_MEMBERSHIP,
    GROUP_EXCHANGE,
    GROUP_LABS,
    GROUP_ACCREDITATION,
    GROUP_NEWSLETTER,
]

_REGISTRY: dict[str, NotificationKind] = {}


def register(kind: NotificationKind) -> NotificationKind:
    """Add a kind. Keys are unique and groups must be one of GROUPS."""
    if kind.key in _REGISTRY:
        raise ValueError(f"Notification kind {kind.key!r} is already registered.")
    if kind.group not in GROUPS:
        raise ValueError(f"Notification kind {kind.key!r} has an unknown group {kind.group!r}.")
    _REGISTRY[kind.key] = kind
    return kind


def unregister(key: str) -> None:
    _REGISTRY.pop(key, None)


def get_kind(key: str) -> NotificationKind:
    try:
        return _REGISTRY[key]
    except KeyError:
        raise LookupError(f"No notification kind {key!r} is registered.") from None


def all_kinds() -> list[NotificationKind]:
    """Every kind, in group order then registration order."""
    return sorted(_REGISTRY.values(), key=lambda kind: GROUPS.index(kind.group))


def kinds_by_group() -> list[tuple[str, list[NotificationKind]]]:
    """(heading, kinds) for each group that has at least one kind."""
    kinds = all_kinds()
    return [
        (group, members)
        for group in GROUPS
        if (members := [kind for kind in kinds if kind.group == group])
    ]


# Keys the later issues call notify() with.
ACCOUNT_SECURITY = "account_security"
APPLICATION_DECISION = "application_decision"
PANEL_ASSIGNMENT = "panel_assignment"
PROPOSAL_COMMENT = "proposal_comment"
COMMENT_REPLY = "comment_reply"
PROPOSAL_DECISION = "proposal_decision"
EXCHANGE_VOTING_REMINDER = "exchange_voting_reminder"
EXCHANGE_REVIEW_ASSIGNMENT = "exchange_review_assignment"
LAB_ACTIVITY = "lab_activity"
PROPOSAL_PROGRESS_UPDATE = "proposal_progress_update"
ACCREDITATION_CASE_CHANGE = "accreditation_case_change"
ACCREDITATION_CASE_DECISION = "accreditation_case_decision"
SHOWCASE_DECISION = "showcase_decision"

register(
    NotificationKind(
        key=ACCOUNT_SECURITY,
        label="Account security",
        description="When your password, email address or two-factor authentication changes, "
        "or someone signs in from a new place.",
        group=GROUP_ACCOUNT,
        required=True,
    )
)
register(
    NotificationKind(
        key=APPLICATION_DECISION,
        label="Decisions on your membership application",
        description="When a panel decides on your application to join Q.",
        group=GROUP_MEMBERSHIP,
        required=True,
    )
)
register(
    NotificationKind(
        key=PANEL_ASSIGNMENT,
        label="Applications given to you to review",
        description="When you are asked to review applications as a panel member.",
        group=GROUP_MEMBERSHIP,
    )
)
register(
    NotificationKind(
        key=PROPOSAL_COMMENT,
        label="Comments on your proposals",
        description="When someone comments on a Q Exchange idea or proposal you lead or are "
        "part of.",
        group=GROUP_EXCHANGE,
    )
)
register(
    NotificationKind(
        key=COMMENT_REPLY,
        label="Replies to your comments",
        description="When someone replies to a comment you wrote.",
        group=GROUP_EXCHANGE,
    )
)
register(
    NotificationKind(
        key=PROPOSAL_DECISION,
        label="Shortlisting and funding decisions",
        description="When a proposal you lead or are part of is shortlisted, funded or not funded.",
        group=GROUP_EXCHANGE,
        # A decision about the member's own proposal, like one on their application: the page
        # says such decisions are always sent, so it offers no choice.
        required=True,
    )
)
register(
    NotificationKind(
        key=PROPOSAL_PROGRESS_UPDATE,
        label="Progress updates on proposals you follow, supported or commented on",
        description="When the team of a funded Q Exchange project you support or commented on "
        "posts a progress update.",
        group=GROUP_EXCHANGE,
    )
)
register(
    NotificationKind(
        key=EXCHANGE_VOTING_REMINDER,
        label="Reminders to vote",
        description="Two days before voting closes in a Q Exchange round, if you have not "
        "voted yet. It comes in its own email even if you choose the daily summary, so that "
        "it reaches you before voting closes.",
        group=GROUP_EXCHANGE,
    )
)
register(
    NotificationKind(
        key=EXCHANGE_REVIEW_ASSIGNMENT,
        label="Proposals given to you to review",
        description="When you are asked to review Q Exchange proposals as a shortlisting panel "
        "member.",
        group=GROUP_EXCHANGE,
    )
)
register(
    NotificationKind(
        key=LAB_ACTIVITY,
        label="Activity in your labs",
        description="New contributions, tests of change and sessions in labs you have joined.",
        group=GROUP_LABS,
        default=Delivery.DAILY,
    )
)
register(
    NotificationKind(
        key=ACCREDITATION_CASE_CHANGE,
        label="Changes to accreditation cases",
        description="When a case you work on moves to a new stage, or a finding or action is "
        "added.",
        group=GROUP_ACCREDITATION,
    )
)
register(
    NotificationKind(
        key=ACCREDITATION_CASE_DECISION,
        label="Decisions on your accreditation case",
        description="When a decision is made on your organisation's Quality Mark.",
        group=GROUP_ACCREDITATION,
        required=True,
    )
)
register(
    NotificationKind(
        key=SHOWCASE_DECISION,
        label="Decisions on your showcase items",
        description="When an editor accepts an item you sent for the newsletter, or returns "
        "it to you.",
        group=GROUP_NEWSLETTER,
    )
)
