"""Reminders of joining Q, registered with the reminders engine (qcommunity.reminders)."""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from qcommunity.reminders.registry import Due, register

from .enums import ApplicationStatus, RoundStatus
from .models import Application

# The engine sends every reminder it is given: it has no notion of notification preferences.
# These three are service messages about something the person has to do in a role they took on
# (their own unsent application; reviews and decisions they agreed to make as a panel member,
# in `members.panels.reminders`), like the directory's reminder, so they go whatever the person
# chose at /me/notifications/. The "panel_assignment" preference there is about being given new
# applications, not these.
#
# Each reminder is due at fixed times worked out from the round's dates; each time is its own due
# date, so the engine records and sends each one once. A grace of 12 hours lets a missed run
# catch up the same day without sending yesterday's reminder next to today's.

DAY = dt.timedelta(days=1)
JOINING_GRACE = dt.timedelta(hours=12)

# Drafts are chased a week and then a day before the round closes.
DRAFT_REMINDERS_BEFORE_CLOSING = (7 * DAY, 1 * DAY)


def in_window(when: dt.datetime, since: dt.datetime, until: dt.datetime) -> bool:
    return since <= when <= until


@register(
    key="members.joining_draft_closing",
    description="Application still a draft as its round closes",
    template="reminder_joining_draft_closing",
    lead=dt.timedelta(0),
    grace=JOINING_GRACE,
)
def drafts_unsent_before_closing(*, since: dt.datetime, until: dt.datetime):
    """A draft application in a round that is taking applications: its applicant is reminded 7
    days and 1 day before the round closes. Not a draft started after that time (it would be
    told about a deadline it has only just seen), nor once the round has been closed. Submitting
    or withdrawing the draft stops the reminders. One query."""
    window = Q()
    for before in DRAFT_REMINDERS_BEFORE_CLOSING:
        window |= Q(round__closes_at__gte=since + before, round__closes_at__lte=until + before)
    applications = (
        Application.objects.filter(
            window, status=ApplicationStatus.DRAFT, round__status=RoundStatus.OPEN
        )
        .select_related("round", "applicant")
        .order_by("round__closes_at", "id")
    )
    for application in applications:
        round_ = application.round
        url = settings.SITE_URL + reverse("members:application-edit", args=[application.pk])
        for before in DRAFT_REMINDERS_BEFORE_CLOSING:
            due_date = round_.closes_at - before
            if not in_window(due_date, since, until):
                continue
            if due_date < round_.opens_at or due_date < application.created_at:
                continue
            yield Due(
                obj=application,
                recipient=application.applicant,
                due_date=due_date,
                context={
                    "round_name": round_.name,
                    "closes_at": round_.closes_at,
                    "application_url": url,
                },
            )
