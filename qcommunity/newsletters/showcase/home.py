"""Newsletters on the home page (`qcommunity.core.home`): for editors, the showcase items
members put forward that wait for a decision."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import ngettext

from qcommunity.core.home import HomeItem, HomeProvider, register

from .selectors import showcase_waiting_count


def newsletter_home_items(user, now: dt.datetime) -> list[HomeItem]:
    if not user.has_perm("newsletters.review_showcase"):
        return []
    waiting = showcase_waiting_count()
    if not waiting:
        return []
    return [
        HomeItem(
            ngettext(
                "%(num)d showcase item from members waits for your review.",
                "%(num)d showcase items from members wait for your review.",
                waiting,
            )
            % {"num": waiting},
            reverse("newsletters-staff:showcase-queue"),
            "Review showcase items",
            "Staff",
            order=40,
        )
    ]


register(HomeProvider(key="newsletters", items=newsletter_home_items, order=40))
