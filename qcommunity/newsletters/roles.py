"""The role newsletters give meaning to (`qcommunity.accounts.roles`)."""

from qcommunity.accounts.enums import Role
from qcommunity.accounts.roles import SiteRole, register

register(
    SiteRole(
        key=Role.EDITOR,
        label="Editor",
        description=(
            "Composes, approves and sends newsletters and reviews members' showcase items. Sees "
            "subscribers' addresses, so two-factor authentication is required."
        ),
        order=50,
        staff_level=True,
    )
)
