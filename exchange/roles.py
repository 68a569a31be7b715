"""The roles Q Exchange gives meaning to (`qcommunity.accounts.roles`): moderators, and seats
on shortlisting panels."""

from qcommunity.accounts.enums import Role
from qcommunity.accounts.roles import SiteRole, register

from .shortlist.roles import SHORTLIST_PANEL_SEAT

register(
    SiteRole(
        key=Role.EXCHANGE_MODERATOR,
        label="Exchange moderator",
        description=(
            "Looks after Q Exchange: reported comments, shortlisting and funding decisions, "
            "turnout. Sees people's reports, so two-factor authentication is required."
        ),
        order=30,
    )
)
register(SHORTLIST_PANEL_SEAT)
