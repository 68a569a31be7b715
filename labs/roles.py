"""The role improvement labs give meaning to (`qcommunity.accounts.roles`)."""

from qcommunity.accounts.enums import Role
from qcommunity.accounts.roles import SiteRole, register

register(
    SiteRole(
        key=Role.LAB_FACILITATOR,
        label="Lab facilitator",
        description="Runs improvement labs: their members, sessions and what they share.",
        order=60,
    )
)
