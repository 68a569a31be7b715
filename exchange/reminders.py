"""Reminders Q Exchange registers with the reminders engine (qcommunity.reminders).

Voting closing: 2 days before voting closes in a round, each member who has not voted is
reminded, once per round. No notification kind at /me/notifications/ fits it (the Q Exchange
kinds are about a member's own proposals and comments: comments on them, replies, decisions), so,
like the directory and joining reminders, it goes to every member it concerns; it is one email
per round, and voting stops it."""

import datetime as dt

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse

from qcommunity.reminders.registry import Due, register

from .models import Ballot, Round
from .selectors_voting import eligible_voters

VOTING_REMINDER_BEFORE_CLOSING = dt.timedelta(days=2)


@register(
    key="exchange.voting_closing",
    description="Q Exchange voting closes in 2 days and the member has not voted",
    template="reminder_exchange_voting_closing",
    lead=dt.timedelta(0),
    grace=dt.timedelta(hours=12),
)
def members_not_voted_before_closing(*, since: dt.datetime, until: dt.datetime):
    """Members (active, with the member role) with no ballot in a published round whose voting
    closes 2 days after a time in [since, until], if voting was open by then. One query for the
    rounds, then one for the members of each round."""
    before = VOTING_REMINDER_BEFORE_CLOSING
    rounds = Round.objects.filter(
        published_at__isnull=False,
        voting_closes_at__gte=since + before,
        voting_closes_at__lte=until + before,
    ).order_by("voting_closes_at", "id")
    for round_ in rounds:
        due_date = round_.voting_closes_at - before
        if due_date < round_.voting_opens_at:
            continue  # a window shorter than 2 days: there is nothing to remind of yet
        voted = Ballot.objects.filter(round=round_, voter=OuterRef("pk"))
        members = (
            eligible_voters()
            .filter(~Exists(voted))
            .only("id", "email", "is_active", "full_name", "preferred_name")
            .order_by("id")
        )
        ballot_url = settings.SITE_URL + reverse("exchange:ballot", kwargs={"year": round_.year})
        for member in members:
            yield Due(
                obj=round_,
                recipient=member,
                due_date=due_date,
                context={
                    "round_name": round_.name,
                    "closes_at": round_.voting_closes_at,
                    "choices_per_theme": round_.choices_per_theme,
                    "ballot_url": ballot_url,
                },
            )
