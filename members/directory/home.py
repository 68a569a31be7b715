"""The directory on the home page (`qcommunity.core.home`): a member's entry to check when it
has not been confirmed for a year."""

import datetime as dt

from qcommunity.accounts.enums import Role
from qcommunity.core.home import HomeBlock, HomeProvider, register

from .selectors import profile_needing_confirmation


def directory_home_items(user, now: dt.datetime) -> list:
    if not user.has_role(Role.MEMBER):
        return []
    profile = profile_needing_confirmation(user)
    if profile is None:
        return []
    return [
        HomeBlock(
            "members/directory/_home_profile_confirm.jinja",
            {"profile_to_confirm": profile},
            order=10,
        )
    ]


register(HomeProvider(key="members.directory", items=directory_home_items, order=20))
