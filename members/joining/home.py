"""Joining Q on the home page (`qcommunity.core.home`): a new member's first steps, a draft
application with its round's closing date, and the rounds a round manager runs."""

import datetime as dt

from django.urls import reverse

from qcommunity.accounts.enums import Role
from qcommunity.core.formatting import uk_datetime
from qcommunity.core.home import HomeBlock, HomeItem, HomeProvider, register

from .enums import RoundStatus
from .models import RoundManager
from .selectors import draft_applications_open, member_first_steps


def joining_home_items(user, now: dt.datetime) -> list:
    entries: list = []
    if user.has_role(Role.MEMBER):
        first_steps = member_first_steps(user, now)
        if first_steps is not None:
            entries.append(HomeBlock("core/_first_steps.jinja", {"first_steps": first_steps},
                                     order=20))  # fmt: skip
    for application in draft_applications_open(user, now):
        entries.append(HomeItem(
            f"You have a draft application to join Q in {application.round.name}. The round "
            f"closes on {uk_datetime(application.round.closes_at)}.",
            reverse("members:application-edit", kwargs={"pk": application.pk}),
            "Continue your application", "Joining Q", order=10,
        ))  # fmt: skip
    if user.has_role(Role.ROUND_MANAGER):
        for managed in (
            RoundManager.objects.filter(user=user)
            .exclude(round__status=RoundStatus.RELEASED)
            .select_related("round")
            .order_by("-round__opens_at")
        ):
            round_ = managed.round
            entries.append(HomeItem(
                f"You manage {round_.name} ({round_.get_status_display().lower()}).",
                reverse("members-staff:round-detail", kwargs={"pk": round_.pk}),
                f"Go to {round_.name}", "Joining Q", order=15,
            ))  # fmt: skip
    return entries


register(HomeProvider(key="members.joining", items=joining_home_items, order=20))
