"""The account's own notifications: changes to its security, always sent.
Found when the site starts (`qcommunity.notifications`); services pass these keys to
`notify`."""

from qcommunity.notifications.kinds import NotificationKind, register

GROUP = "Your account"

ACCOUNT_SECURITY = "account_security"

register(
    NotificationKind(
        key=ACCOUNT_SECURITY,
        label="Account security",
        description="When your password, email address or two-factor authentication changes, "
        "or someone signs in from a new place.",
        group=GROUP,
        required=True,
        order=10,
    )
)
