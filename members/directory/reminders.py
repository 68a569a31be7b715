"""Reminders of the directory, registered with the reminders engine (qcommunity.reminders)."""

import datetime as dt

from django.conf import settings
from django.urls import reverse

from qcommunity.accounts.enums import Role
from qcommunity.reminders.registry import Due, register

from .models import Profile

CONFIRM_AFTER = dt.timedelta(days=365)


@register(
    key="members.directory_confirm",
    description="Directory entry not confirmed for a year",
    template="reminder_directory_confirm",
    lead=dt.timedelta(0),
    grace=dt.timedelta(days=30),
)
def directory_entries_to_confirm(*, since: dt.datetime, until: dt.datetime):
    """A member's entry is due for confirming a year after they last confirmed it. Only active
    members are asked; confirming again moves the due date on a year, so a new reminder follows
    next year."""
    profiles = (
        Profile.objects.filter(
            confirmed_at__gte=since - CONFIRM_AFTER,
            confirmed_at__lte=until - CONFIRM_AFTER,
            user__is_active=True,
            user__roles__role=Role.MEMBER,
        )
        .select_related("user")
        .only(
            "id",
            "slug",
            "confirmed_at",
            "user__id",
            "user__email",
            "user__is_active",
            "user__full_name",
            "user__preferred_name",
        )
        .order_by("confirmed_at", "id")
    )
    profile_url = settings.SITE_URL + reverse("members:profile-edit")
    for profile in profiles:
        yield Due(
            obj=profile,
            recipient=profile.user,
            due_date=profile.confirmed_at + CONFIRM_AFTER,
            context={"confirmed_at": profile.confirmed_at, "profile_url": profile_url},
        )
