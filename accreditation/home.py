"""The Quality Mark on the home page (`qcommunity.core.home`): the organisations a person works
for, and for coordinators the organisations waiting for verification."""

import datetime as dt

from django.urls import reverse

from qcommunity.accounts.enums import Role
from qcommunity.core.home import HomeItem, HomeProvider, register

from .providers.selectors import memberships_for, unverified_count


def accreditation_home_items(user, now: dt.datetime) -> list:
    entries: list = []
    for membership in memberships_for(user):
        organisation = membership.organisation
        state = "verified" if organisation.verified_at else "waiting for verification"
        entries.append(HomeItem(
            f"Your organisation {organisation.name} ({state}): you are its "
            f"{membership.get_role_display().lower()}.",
            reverse("accreditation:organisation-detail", args=[organisation.slug]),
            f"Go to {organisation.name}", "Quality Mark", order=10,
        ))  # fmt: skip
    if user.has_role(Role.ACCREDITATION_COORDINATOR):
        waiting = unverified_count()
        if waiting:
            entries.append(HomeItem(
                f"{waiting} provider organisation{'s are' if waiting != 1 else ' is'} waiting "
                "for verification.",
                reverse("accreditation-staff:organisation-list") + "?status=unverified",
                "Verify organisations", "Quality Mark", order=20,
            ))  # fmt: skip
    return entries


register(HomeProvider(key="accreditation", items=accreditation_home_items, order=60))
